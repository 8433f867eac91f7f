/// How the engine trades speed for reproducibility.
public enum ComputeProfile: String, Sendable, Hashable, CaseIterable, Codable {
  /// Bitwise-reproducible whatever the thread count: OpenBLAS pinned to the `Haswell` kernels
  /// (`OPENBLAS_CORETYPE`, set before the library loads), BLAS single-threaded, and the engine's
  /// own fixed partition of each operation across threads.
  case exact
  /// OpenBLAS chooses its kernels and threads itself; results may differ in the last bits between
  /// machines and thread counts.
  case fast

  /// The OpenBLAS core type the `exact` profile requires (any AVX2 x86-64 CPU runs it).
  public static let exactCoreType = "Haswell"
  /// The environment variable OpenBLAS reads, once, when it loads.
  public static let coreTypeVariable = "OPENBLAS_CORETYPE"
}
