/// A first-order optimiser that updates one parameter tensor at a time from its gradient.
///
/// Each parameter owns a ``State`` (moments, step counter) made by ``makeState(for:)``; the caller
/// keeps the states next to the parameters and hands both in on every step. The learning rate is
/// passed per call (a schedule multiplies a base rate; see ``WarmupCosineSchedule``), as a `Double`
/// because PyTorch keeps `lr` as a Python float and only rounds it where a kernel takes it.
public protocol Optimizer: Sendable {
  /// The element type of the parameters.
  associatedtype Scalar: TensorScalar
  /// Per-parameter state (moments, step counter).
  associatedtype State: Sendable

  /// The state of a parameter that has not been stepped yet.
  /// - Parameter parameter: any shape; the state's tensors take the same shape.
  /// - Returns: zeroed moments and a step count of 0.
  func makeState(for parameter: Tensor<Scalar>) -> State

  /// Applies one update to `parameter` in place.
  /// - Parameters:
  ///   - parameter: any shape.
  ///   - gradient: the same shape as `parameter` (already clipped, if clipping is used).
  ///   - state: this parameter's state; advanced by one step.
  ///   - learningRate: the rate for this step (0 still advances the step counter).
  func update(
    _ parameter: inout Tensor<Scalar>, gradient: Tensor<Scalar>, state: inout State,
    learningRate: Double)
}
