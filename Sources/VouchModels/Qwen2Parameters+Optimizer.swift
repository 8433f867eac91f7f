// One optimiser step over every tensor of a Qwen2 model: global-norm clipping, then the
// optimiser per tensor, in the fixed `namedPaths` order.
import VouchEngine

extension Qwen2Parameters {
  /// A fresh optimiser state for every parameter tensor, in ``namedPaths`` order.
  public func makeOptimizerStates<O: Optimizer>(_ optimizer: O) -> [O.State]
  where O.Scalar == Scalar {
    namedPaths.map { optimizer.makeState(for: self[keyPath: $0.1]) }
  }

  /// Clips `gradients` to a global 2-norm of `maxGradientNorm` (if given; as
  /// `clip_grad_norm_` over all parameters) and then updates every tensor with `optimizer`.
  ///
  /// Every tensor is one parameter of one group, as `torch.optim.AdamW(model.parameters())`:
  /// weight decay applies to all of them, norms and biases included.
  /// - Parameters:
  ///   - gradients: this model's gradients (``backward(_:logitsGradient:context:)``).
  ///   - optimizer: e.g. ``AdamW``.
  ///   - states: from ``makeOptimizerStates(_:)``; advanced by one step.
  ///   - learningRate: this step's rate (e.g. from ``WarmupCosineSchedule``).
  ///   - maxGradientNorm: the clipping threshold, or `nil` for none.
  /// - Returns: the total gradient norm before clipping (0 when not clipping).
  @discardableResult
  public mutating func applyStep<O: Optimizer>(
    gradients: Qwen2Parameters, optimizer: O, states: inout [O.State], learningRate: Double,
    maxGradientNorm: Double?
  ) -> Scalar where O.Scalar == Scalar {
    let paths = namedPaths.map(\.1)
    precondition(states.count == paths.count, "\(states.count) states for \(paths.count) tensors")
    var tensors = paths.map { gradients[keyPath: $0] }
    var total: Scalar = 0
    if let maxGradientNorm {
      total = GradientClipping.clipGlobalNorm(&tensors, maxNorm: maxGradientNorm)
    }
    for (index, path) in paths.enumerated() {
      optimizer.update(
        &self[keyPath: path], gradient: tensors[index], state: &states[index],
        learningRate: learningRate)
    }
    return total
  }
}
