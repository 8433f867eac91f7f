/// The determinism settings every kernel receives explicitly: a ``ComputeProfile`` and a thread
/// count.
///
/// In the `exact` profile, a matrix product is split into fixed column blocks of
/// ``exactBlockColumns`` and each block is one single-threaded BLAS call of the same shape, so the
/// bits do not depend on `threads`. In the `fast` profile the whole product is one BLAS call and
/// OpenBLAS uses `threads` threads itself.
public struct ComputeContext: Sendable, Hashable {
  /// Reproducibility versus speed.
  public var profile: ComputeProfile
  /// Threads the engine (exact) or OpenBLAS (fast) may use; at least 1.
  public var threads: Int

  /// Output columns per block in the exact profile: fixed, never derived from `threads`.
  public static let exactBlockColumns = 128

  /// A context with `profile` and `threads` (clamped to at least 1).
  public init(profile: ComputeProfile, threads: Int) {
    self.profile = profile
    self.threads = max(1, threads)
  }

  /// The exact profile on one thread: the reference every other exact run must reproduce bitwise.
  public static let reference = ComputeContext(profile: .exact, threads: 1)

  /// Tells OpenBLAS how many threads to use for this context's calls (1 in the exact profile).
  /// OpenBLAS's setting is process-wide; kernels call this before each BLAS call.
  func configureBLAS() {
    let wanted = profile == .exact ? 1 : threads
    if BLAS.threadCount != wanted { BLAS.setThreadCount(wanted) }
  }
}
