import VouchEngine
import VouchTestSupport

/// Float64 central finite differences against analytic gradients, for the engine's and the
/// models' backward tests.
public enum GradientCheck {
  /// `‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖, 1e-12)` where `numeric` is the central
  /// difference `(f(x + h·e_i) − f(x − h·e_i)) / 2h` for every element `i` of `x`.
  public static func relativeError(
    at x: Tensor<Double>, analytic: Tensor<Double>, step h: Double = 1e-6,
    _ objective: (Tensor<Double>) -> Double
  ) -> Double {
    precondition(analytic.shape == x.shape, "gradient \(analytic.shape) for \(x.shape)")
    var difference: Double = 0
    var analyticNorm: Double = 0
    var numericNorm: Double = 0
    for index in 0..<x.count {
      var plus = x
      var minus = x
      plus.withUnsafeMutableBufferPointer { $0[index] += h }
      minus.withUnsafeMutableBufferPointer { $0[index] -= h }
      let numeric = (objective(plus) - objective(minus)) / (2 * h)
      let exact = analytic.scalars[index]
      difference += (exact - numeric) * (exact - numeric)
      analyticNorm += exact * exact
      numericNorm += numeric * numeric
    }
    return difference.squareRoot() / max(analyticNorm.squareRoot(), numericNorm.squareRoot(), 1e-12)
  }

  /// `Σ y ⊙ weights`: turns a tensor-valued op into a scalar objective whose output gradient is
  /// `weights`.
  public static func dot(_ y: Tensor<Double>, _ weights: Tensor<Double>) -> Double {
    zip(y.scalars, weights.scalars).reduce(0) { $0 + $1.0 * $1.1 }
  }

  /// A seeded Double tensor with entries in roughly [−scale, scale].
  public static func random(_ shape: [Int], scale: Double = 1, generator: inout SeededGenerator)
    -> Tensor<Double>
  {
    let count = shape.reduce(1, *)
    return Tensor(
      shape: shape,
      scalars: (0..<count).map { _ in Double.random(in: -scale...scale, using: &generator) })
  }
}
