/// The determinism settings every kernel receives explicitly: a ``ComputeProfile`` and a thread
/// count.
///
/// In the `exact` profile, a matrix product is split into column blocks whose width is a function
/// of the product's shape only (``exactBlockWidth(columns:)``), and each block is one
/// single-threaded BLAS call, so the bits do not depend on `threads`. In the `fast` profile the whole product is one BLAS call and
/// OpenBLAS uses `threads` threads itself.
public struct ComputeContext: Sendable, Hashable {
  /// Reproducibility versus speed.
  public var profile: ComputeProfile
  /// Threads the engine (exact) or OpenBLAS (fast) may use; at least 1.
  public var threads: Int

  /// Granularity of exact-profile column blocks (a multiple of every OpenBLAS kernel's unroll).
  public static let exactBlockGranule = 128
  /// At most this many column blocks per product: each block repacks the left operand, so fewer,
  /// wider blocks waste less work on large products.
  public static let exactMaximumBlocks = 8

  /// Output columns per exact-profile block for a product with `columns` output columns:
  /// `⌈columns / 8⌉` rounded up to a multiple of 128 (at least 128). A function of the shape
  /// only — never of the thread count — so every thread count computes the same blocks.
  public static func exactBlockWidth(columns: Int) -> Int {
    let share = (columns + exactMaximumBlocks - 1) / exactMaximumBlocks
    let granules = max(1, (share + exactBlockGranule - 1) / exactBlockGranule)
    return granules * exactBlockGranule
  }

  /// A context with `profile` and `threads` (clamped to at least 1).
  public init(profile: ComputeProfile, threads: Int) {
    self.profile = profile
    self.threads = max(1, threads)
  }

  /// The exact profile on one thread: the reference every other exact run must reproduce bitwise.
  public static let reference = ComputeContext(profile: .exact, threads: 1)

  /// Runs `body` (which makes this context's BLAS calls) with OpenBLAS set to 1 thread (exact)
  /// or `threads` (fast), under the process-wide BLAS lock: OpenBLAS's thread count is global,
  /// and an exact product must never run while a concurrent fast one has changed it.
  func withBLAS<R>(_ body: () throws -> R) rethrows -> R {
    try BLAS.withThreadCount(profile == .exact ? 1 : threads, body)
  }
}
