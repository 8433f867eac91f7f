import Foundation
import VouchEngine

#if canImport(Glibc)
  import Glibc
#endif

/// Pins OpenBLAS's kernels for the `exact` profile before any computation.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` once, when the dynamic loader maps it — before `main` — so
/// setting it from inside the process is too late (measured on this project's machines: an
/// AVX-512 EPYC autodetects `Cooperlake` and keeps it after an in-process `setenv`; after the
/// re-execution `openblas_get_corename` reports `Haswell`). The CLI therefore re-executes itself
/// once through `/proc/self/exe` with the variable set. A non-empty value the user set is
/// respected (the fingerprint then reports that core and the exact profile reports itself
/// unsatisfied), and `--profile fast` keeps the autodetected, faster kernels.
enum BLASEnvironment {
  /// Marks the re-executed process, so it never loops.
  static let marker = "VOUCH_BLAS_PINNED"

  /// Subcommands that never call BLAS (the store and lineage ones): no kernels to pin, and no
  /// use for OpenBLAS's thread pool.
  static let storeCommands: Set<String> = [
    "init", "add", "status", "checkout", "ls", "show", "check", "gc", "lineage", "log", "diff",
    "remote", "push", "fetch", "pull",
  ]

  /// Re-executes the process with `OPENBLAS_CORETYPE=Haswell` when it is unset and this CPU can
  /// run the Haswell kernels (x86-64 with AVX2 and FMA). Returns when nothing needs doing or the
  /// re-execution fails (the process then runs with the autodetected core).
  ///
  /// Store commands are re-executed with `OPENBLAS_NUM_THREADS=1` instead (unless the user set
  /// it): OpenBLAS starts its thread pool when it is loaded, and its idle threads spin on
  /// `sched_yield` for about 0.1 s, which perf showed taking CPU from `vouch add`'s two busy
  /// threads on a two-core machine. They compute nothing, so their kernels need no pinning.
  static func pinExactCoreType() {
    #if os(Linux) && arch(x86_64)
      let environment = ProcessInfo.processInfo.environment
      guard environment[marker] == nil else { return }
      let arguments = CommandLine.arguments
      var variables: [String] = []
      if arguments.count > 1, storeCommands.contains(arguments[1]) {
        if (environment[threadsVariable] ?? "").isEmpty {
          setenv(threadsVariable, "1", 1)
          variables.append(threadsVariable)
        }
      } else if (environment[ComputeProfile.coreTypeVariable] ?? "").isEmpty,
        !asksForFastProfile(arguments), cpuRunsHaswellKernels()
      {
        setenv(ComputeProfile.coreTypeVariable, ComputeProfile.exactCoreType, 1)
        variables.append(ComputeProfile.coreTypeVariable)
      }
      guard !variables.isEmpty else { return }
      setenv(marker, "1", 1)
      execv("/proc/self/exe", CommandLine.unsafeArgv)
      // Only reached when execv failed: carry on as started rather than refuse to run.
      for variable in variables { unsetenv(variable) }
      unsetenv(marker)
    #endif
  }

  /// OpenBLAS's thread-count variable.
  static let threadsVariable = "OPENBLAS_NUM_THREADS"

  /// Whether the command line selects `--profile fast` (which needs no pinned kernels).
  static func asksForFastProfile(_ arguments: [String]) -> Bool {
    let fast = ComputeProfile.fast.rawValue
    for (index, argument) in arguments.enumerated() {
      if argument == "--profile=\(fast)" { return true }
      if argument == "--profile", index + 1 < arguments.count, arguments[index + 1] == fast {
        return true
      }
    }
    return false
  }

  /// Whether `/proc/cpuinfo` lists the `avx2` and `fma` flags.
  static func cpuRunsHaswellKernels() -> Bool {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return false }
    let set = Set(flags.split(separator: " ").map(String.init))
    return set.contains("avx2") && set.contains("fma")
  }
}
