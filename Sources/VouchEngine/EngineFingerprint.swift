/// Everything about the engine that can change the bits of a result: recorded with every run so a
/// verifier can tell `identical` from `equivalent`.
public struct EngineFingerprint: Sendable, Hashable, Codable {
  /// ``EngineVersion/current``.
  public let engineVersion: String
  /// CPU architecture the engine was compiled for (`x86_64`, `arm64`).
  public let architecture: String
  /// OpenBLAS's build configuration (`openblas_get_config`), which includes its version.
  public let blasConfiguration: String
  /// The OpenBLAS kernel set actually in use (`openblas_get_corename`), e.g. `Haswell`.
  public let blasCoreType: String
  /// The profile the run used.
  public let profile: ComputeProfile
  /// How work is spread across threads, e.g. `exact: fixed 128-column blocks, 2 threads`.
  public let threadPolicy: String

  /// The fingerprint of this process's engine under `context`.
  public init(context: ComputeContext) {
    engineVersion = EngineVersion.current
    #if arch(x86_64)
      architecture = "x86_64"
    #elseif arch(arm64)
      architecture = "arm64"
    #else
      architecture = "unknown"
    #endif
    blasConfiguration = BLAS.configuration
    blasCoreType = BLAS.coreName
    profile = context.profile
    switch context.profile {
    case .exact:
      threadPolicy =
        "exact: GEMM in ≤ \(ComputeContext.exactMaximumBlocks) column blocks of a multiple of "
        + "\(ComputeContext.exactBlockGranule) (fixed by shape) and per-head "
        + "attention on \(context.threads) thread(s), single-threaded BLAS"
    case .fast:
      threadPolicy = "fast: OpenBLAS threads = \(context.threads)"
    }
  }

  /// Whether OpenBLAS runs the kernels the profile requires: always for `fast`; for `exact`, only
  /// when the core type is ``ComputeProfile/exactCoreType`` (set `OPENBLAS_CORETYPE=Haswell`
  /// before the process starts, or let the `vouch` CLI re-execute itself with it).
  public var isProfileSatisfied: Bool {
    profile == .fast || blasCoreType.lowercased() == ComputeProfile.exactCoreType.lowercased()
  }
}

extension EngineFingerprint {
  /// The OpenBLAS core type in use in this process (`openblas_get_corename`).
  public static var currentBLASCoreType: String { BLAS.coreName }
  /// OpenBLAS's build configuration in this process (`openblas_get_config`).
  public static var currentBLASConfiguration: String { BLAS.configuration }
}
