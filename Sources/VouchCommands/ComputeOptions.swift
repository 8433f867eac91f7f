import ArgumentParser
import Foundation
import VouchEngine
import VouchModels

/// The options shared by every command that computes (`--profile`, `--threads`, `--weights`).
struct ComputeOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Kernel profile: 'exact' (bitwise reproducible for any thread count) or 'fast'.",
      valueName: "profile"))
  var profile: String = ComputeProfile.exact.rawValue

  @Option(
    parsing: .unconditional,
    help: "Threads for the compute engine (results do not depend on it in 'exact').")
  var threads: Int = 2

  @Option(
    help: ArgumentHelp(
      "Where Float32 weights live: 'resident' (widened once), 'streamed' (widened per layer "
        + "as used; memory ≈ the file plus one layer) or 'auto' (resident up to 2 GiB).",
      valueName: "mode"))
  var weights: WeightsMode = .auto

  func validate() throws {
    guard ComputeProfile(rawValue: profile) != nil else {
      throw ValidationError("--profile must be 'exact' or 'fast', not '\(profile)'")
    }
    guard threads >= 1 && threads <= 256 else {
      throw ValidationError("--threads must be between 1 and 256")
    }
  }

  /// Warns on stderr when the exact profile runs on kernels other than the pinned ones (the user
  /// set another `OPENBLAS_CORETYPE`, or the CPU lacks AVX2): results stay thread-independent
  /// but may differ in the last bits from other machines.
  func warnIfExactIsUnpinned() {
    let fingerprint = EngineFingerprint(context: context)
    if !fingerprint.isProfileSatisfied {
      Diagnostics.warning(
        "the exact profile expects OpenBLAS's \(ComputeProfile.exactCoreType) kernels but "
          + "OpenBLAS runs \(fingerprint.blasCoreType); unset OPENBLAS_CORETYPE (or set it to "
          + "\(ComputeProfile.exactCoreType)) for results that match other machines")
    }
  }

  /// The engine context these options describe.
  var context: ComputeContext {
    ComputeContext(profile: ComputeProfile(rawValue: profile) ?? .exact, threads: threads)
  }
}

/// Parses `3,17,42` into token ids.
func parseTokenIDs(_ text: String, option: String) throws -> [Int] {
  let parts = text.split(separator: ",", omittingEmptySubsequences: false)
  let ids = parts.map { Int($0.trimmingCharacters(in: .whitespaces)) }
  guard !parts.isEmpty, ids.allSatisfy({ ($0 ?? -1) >= 0 }) else {
    throw ValidationError("\(option) must be comma-separated non-negative integers, e.g. 3,17,42")
  }
  return ids.compactMap { $0 }
}

/// `--weights resident|streamed|auto`.
enum WeightsMode: String, ExpressibleByArgument, CaseIterable {
  case resident, streamed, auto

  /// The residency to ask for (`nil`: let the runner choose by size).
  var residency: Qwen2Model.Residency? {
    switch self {
    case .resident: .resident
    case .streamed: .streamed
    case .auto: nil
    }
  }
}
