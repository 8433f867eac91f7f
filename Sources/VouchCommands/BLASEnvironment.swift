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

  /// Re-executes the process with `OPENBLAS_CORETYPE=Haswell` when it is unset and this CPU can
  /// run the Haswell kernels (x86-64 with AVX2 and FMA). Returns when nothing needs doing or the
  /// re-execution fails (the process then runs with the autodetected core).
  static func pinExactCoreType() {
    #if os(Linux) && arch(x86_64)
      let environment = ProcessInfo.processInfo.environment
      guard (environment[ComputeProfile.coreTypeVariable] ?? "").isEmpty,
        environment[marker] == nil, !asksForFastProfile(CommandLine.arguments),
        cpuRunsHaswellKernels()
      else { return }
      setenv(ComputeProfile.coreTypeVariable, ComputeProfile.exactCoreType, 1)
      setenv(marker, "1", 1)
      execv("/proc/self/exe", CommandLine.unsafeArgv)
      // Only reached when execv failed: carry on unpinned rather than refuse to run.
      unsetenv(ComputeProfile.coreTypeVariable)
    #endif
  }

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
