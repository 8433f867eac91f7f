import COpenBLAS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one seam between vouch and OpenBLAS: every call into the C library goes through here, and no
/// C type escapes this file.
///
/// Matrices are row-major. `transposeB` means the right operand is stored as `[n, k]` (a PyTorch
/// `Linear` weight) and used as its transpose.
enum BLAS {
  /// Single-precision GEMM, `C[m, n] = alpha · A[m, k] · op(B) + beta · C`.
  /// The corresponding C functions are `cblas_sgemm`, and `cblas_sgemv` for one row (`m = 1`):
  /// OpenBLAS 0.3.21's GEMM packs all of `B` even for one row, which made a decoding step (one
  /// token through every layer) spend over a third of its time copying weights.
  static func sgemm(
    m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    if m == 1 {
      // Row-major [1, k] · op(B): y = B · a for B stored [n, k]; y = Bᵀ · a for B stored [k, n].
      cblas_sgemv(
        CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans,
        blasint(transposeB ? n : k), blasint(transposeB ? k : n), alpha, b, blasint(ldb),
        a, 1, beta, c, 1)
      return
    }
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c,
      blasint(ldc))
  }

  /// Double-precision GEMM, `C[m, n] = alpha · A[m, k] · op(B) + beta · C`.
  /// The corresponding C functions are `cblas_dgemm`, and `cblas_dgemv` for one row (see
  /// ``sgemm(m:n:k:alpha:a:lda:b:ldb:transposeB:beta:c:ldc:)``).
  static func dgemm(
    m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, transposeB: Bool,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    if m == 1 {
      cblas_dgemv(
        CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans,
        blasint(transposeB ? n : k), blasint(transposeB ? k : n), alpha, b, blasint(ldb),
        a, 1, beta, c, 1)
      return
    }
    cblas_dgemm(
      CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c,
      blasint(ldc))
  }

  /// Guards OpenBLAS's process-wide thread count. Single-threaded products (every `exact` one)
  /// hold it shared, so the engine's own workers multiply concurrently; a product that wants
  /// another count holds it exclusively, so it can never change the count under a concurrent
  /// single-threaded product. OpenBLAS's threaded build is safe to call from several threads.
  nonisolated(unsafe) private static let lock: UnsafeMutablePointer<pthread_rwlock_t> = {
    let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
    pthread_rwlock_init(lock, nil)
    return lock
  }()

  /// Runs `body` with OpenBLAS set to `threads` threads, holding the BLAS lock throughout (shared
  /// when `threads` is 1 and the count already is 1, exclusive otherwise).
  /// The corresponding C functions are `openblas_get_num_threads`, `openblas_set_num_threads`
  /// (and `pthread_rwlock_*`). Not reentrant: `body` must not call it again.
  static func withThreadCount<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
    if threads == 1 {
      pthread_rwlock_rdlock(lock)
      if threadCount == 1 {
        defer { pthread_rwlock_unlock(lock) }
        return try body()
      }
      pthread_rwlock_unlock(lock)
    }
    pthread_rwlock_wrlock(lock)
    defer { pthread_rwlock_unlock(lock) }
    if threadCount != threads { setThreadCount(threads) }
    return try body()
  }

  /// Sets how many threads OpenBLAS itself may use (process-wide).
  /// The corresponding C function is `openblas_set_num_threads`.
  static func setThreadCount(_ count: Int) {
    openblas_set_num_threads(Int32(max(1, count)))
  }

  /// How many threads OpenBLAS currently uses. The corresponding C function is
  /// `openblas_get_num_threads`.
  static var threadCount: Int { Int(openblas_get_num_threads()) }

  /// The build configuration string, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64`.
  /// The corresponding C function is `openblas_get_config`.
  static var configuration: String {
    guard let pointer = openblas_get_config() else { return "unknown" }
    return String(cString: pointer)
  }

  /// The name of the kernel set OpenBLAS chose at load time (`Haswell`, `SkylakeX`, `Zen`, …).
  /// The corresponding C function is `openblas_get_corename`.
  static var coreName: String {
    guard let pointer = openblas_get_corename() else { return "unknown" }
    return String(cString: pointer)
  }
}
