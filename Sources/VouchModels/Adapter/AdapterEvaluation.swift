import VouchEngine

/// One evaluation of ``AdapterObjective`` on one sequence: the terms, the adapters' gradients of
/// the weighted total, and which features fired (for dead-feature counts).
public struct AdapterEvaluation<Scalar: TensorScalar>: Sendable {
  /// Every term's value, the cutoff and L0 per layer.
  public var terms: AdapterLossTerms
  /// `∂L/∂(adapter tensors)`, one per layer (zero for a disabled adapter).
  public var gradients: [TranscoderAdapter<Scalar>]
  /// Per layer, per feature: whether `f > 0` at any token of the replacement forward (all
  /// `false` for a disabled adapter).
  public var fired: [[Bool]]
}
