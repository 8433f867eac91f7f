// A transcoder adapter as a branch of the inference stack (Qwen2Model), so generation with
// adapters — the replacement model, feature ablations, additions to the hybrid and steering of
// R — runs the same decoder blocks and KV cache as plain generation.
import VouchEngine

/// One layer's adapter, run beside the MLP: `T(u) = W_dec (m ⊙ ReLU(W_enc u + b_enc)) + b_dec`
/// with `u` the MLP input and `m` an optional 0/1 feature mask.
///
/// Ablating feature `i` is `m_i = 0` (the same as zeroing its encoder row and decoder column);
/// every variant of the hesitation study is an adapter with a mask, a scaled decoder or no
/// decoder bias (see ``FeatureSelection``).
public struct AdapterBranch: Sendable {
  /// The adapter's tensors.
  public var adapter: TranscoderAdapter<Float>
  /// `[F]` of 0/1, or `nil` for every feature on.
  public var featureMask: Tensor<Float>?

  /// A branch running `adapter` with `featureMask` (`[F]`, or `nil`).
  public init(adapter: TranscoderAdapter<Float>, featureMask: Tensor<Float>? = nil) {
    precondition(
      featureMask.map { $0.shape == [adapter.featureCount] } ?? true, "mask must be [F]")
    self.adapter = adapter
    self.featureMask = featureMask
  }

  /// `T(u)`: `[tokens, d]` → `[tokens, d]`, through the training stack's adapter forward.
  public func callAsFunction(_ input: Tensor<Float>, context: ComputeContext) -> Tensor<Float> {
    adapter.forward(input, featureMask: featureMask, context: context).output
  }
}
