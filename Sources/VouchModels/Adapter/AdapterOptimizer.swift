// The optimiser of METHOD.md §3 over the adapters only: global-norm clipping, then Adam
// (`AdamW` with weight decay 0) per tensor, in a fixed order.
import VouchEngine

/// Adam over every adapter tensor of a ``ReplacementModel``, with PyTorch's defaults
/// (β1 = 0.9, β2 = 0.999, ε = 1e-8, weight decay 0) and global 2-norm clipping.
///
/// Tensors are visited layer by layer, each adapter in ``TranscoderAdapter/namedPaths`` order
/// (`W_enc, b_enc, W_dec, b_dec`): the order of the clipping norm's sum and of the states.
/// A step with learning rate 0 (the schedule's first) still advances every moment and the step
/// counter, as `torch.optim.AdamW` does.
public struct AdapterOptimizer<Scalar: TensorScalar>: Sendable {
  /// The per-tensor update (plain Adam: weight decay 0).
  public let adam: AdamW<Scalar>
  /// The clipping threshold of the global gradient norm (METHOD §3: 1.0), or `nil` for none.
  public let maximumGradientNorm: Double?
  /// One state per adapter tensor, in visiting order.
  public private(set) var states: [AdamW<Scalar>.State]

  /// Fresh states (step 0, zero moments) for `model`'s adapters.
  public init(for model: ReplacementModel<Scalar>, maximumGradientNorm: Double? = 1.0) {
    let adam = AdamW<Scalar>(weightDecay: 0)
    self.adam = adam
    self.maximumGradientNorm = maximumGradientNorm
    states = model.adapters.flatMap { adapter in
      TranscoderAdapter<Scalar>.namedPaths.map { adam.makeState(for: adapter[keyPath: $0.1]) }
    }
  }

  /// Clips `gradients` (one per layer) and applies one Adam step to `model.adapters`.
  /// - Parameters:
  ///   - gradients: from ``AdapterObjective/evaluate(_:ids:cutoff:context:)``.
  ///   - model: updated in place.
  ///   - learningRate: this step's rate (`lr · m(step)`; 0 still advances the states).
  /// - Returns: the global gradient norm before clipping (0 when not clipping).
  @discardableResult
  public mutating func step(
    _ gradients: [TranscoderAdapter<Scalar>], model: inout ReplacementModel<Scalar>,
    learningRate: Double
  ) -> Scalar {
    let paths = TranscoderAdapter<Scalar>.namedPaths.map(\.1)
    precondition(gradients.count == model.adapters.count, "one gradient per adapter")
    var tensors = gradients.flatMap { gradient in paths.map { gradient[keyPath: $0] } }
    precondition(tensors.count == states.count, "optimiser built for another model")
    var norm: Scalar = 0
    if let maximumGradientNorm {
      norm = GradientClipping.clipGlobalNorm(&tensors, maxNorm: maximumGradientNorm)
    }
    for layer in model.adapters.indices {
      for (offset, path) in paths.enumerated() {
        let index = layer * paths.count + offset
        adam.update(
          &model.adapters[layer][keyPath: path], gradient: tensors[index], state: &states[index],
          learningRate: learningRate)
      }
    }
    return norm
  }
}
