#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An element type a ``Tensor`` can hold: `Float` for models, `Double` for gradient checks.
///
/// The transcendental functions come from the platform C maths library (the engine does not use
/// Foundation), and `gemm` goes through the one BLAS seam.
public protocol TensorScalar: BinaryFloatingPoint, Sendable
where Self.RawSignificand: FixedWidthInteger {
  /// `e^x`.
  static func exponential(_ x: Self) -> Self
  /// `cos x`.
  static func cosine(_ x: Self) -> Self
  /// `sin x`.
  static func sine(_ x: Self) -> Self
  /// `base^exponent`.
  static func power(_ base: Self, _ exponent: Self) -> Self
  /// Row-major GEMM `C[m, n] = alpha · A[m, k] · op(B) + beta · C` (see `BLAS`).
  static func gemm(
    m: Int, n: Int, k: Int, alpha: Self,
    a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int, transposeB: Bool,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension Float: TensorScalar {
  public static func exponential(_ x: Float) -> Float { expf(x) }
  public static func cosine(_ x: Float) -> Float { cosf(x) }
  public static func sine(_ x: Float) -> Float { sinf(x) }
  public static func power(_ base: Float, _ exponent: Float) -> Float { powf(base, exponent) }
  public static func gemm(
    m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    BLAS.sgemm(
      m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, transposeB: transposeB,
      beta: beta, c: c, ldc: ldc)
  }
}

extension Double: TensorScalar {
  public static func exponential(_ x: Double) -> Double { exp(x) }
  public static func cosine(_ x: Double) -> Double { cos(x) }
  public static func sine(_ x: Double) -> Double { sin(x) }
  public static func power(_ base: Double, _ exponent: Double) -> Double { pow(base, exponent) }
  public static func gemm(
    m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, transposeB: Bool,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    BLAS.dgemm(
      m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, transposeB: transposeB,
      beta: beta, c: c, ldc: ldc)
  }
}
