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
  /// The corresponding C function is `cblas_sgemm`.
  static func sgemm(
    m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c,
      blasint(ldc))
  }

  /// Double-precision GEMM, `C[m, n] = alpha · A[m, k] · op(B) + beta · C`.
  /// The corresponding C function is `cblas_dgemm`.
  static func dgemm(
    m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, transposeB: Bool,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dgemm(
      CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c,
      blasint(ldc))
  }

  /// Serialises work that depends on OpenBLAS's process-wide thread count, so a `fast` product on
  /// one thread can never change the count under an `exact` product running on another.
  nonisolated(unsafe) private static let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
    return mutex
  }()

  /// Runs `body` with OpenBLAS set to `threads` threads, holding the BLAS lock throughout.
  /// The corresponding C functions are `openblas_get_num_threads`, `openblas_set_num_threads`
  /// (and `pthread_mutex_lock`/`unlock`). Not reentrant: `body` must not call it again.
  static func withThreadCount<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
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
