// The final RMSNorm and LM head, once: the training forward, the replacement model, attribution
// and the inference model's resident path all end here.
import VouchEngine

extension Qwen2Parameters {
  /// `RMSNorm_f(h_L)`: `[tokens, d]` → `[tokens, d]`.
  public func finalNormalized(_ last: Tensor<Scalar>) -> Tensor<Scalar> {
    last.rmsNormalized(gain: finalNormGain, epsilon: Scalar(configuration.rmsNormEpsilon))
  }

  /// Logits `W_U · RMSNorm_f(h_L)`: `[tokens, d]` → `[tokens, V]`.
  public func logits(_ last: Tensor<Scalar>, context: ComputeContext) -> Tensor<Scalar> {
    finalNormalized(last).linear(weight: head, context: context)
  }

  /// `∂L/∂h_L` for `∂L/∂RMSNorm_f(h_L)` (`[tokens, d]` each), and the gain's gradient; under
  /// ``VouchEngine/BackwardRule/relp`` the norm's scale is frozen.
  public func finalNormBackward(
    _ last: Tensor<Scalar>, normalizedGradient: Tensor<Scalar>, rule: BackwardRule = .exact
  ) -> (input: Tensor<Scalar>, gain: Tensor<Scalar>) {
    Tensor.rmsNormBackward(
      input: last, gain: finalNormGain, epsilon: Scalar(configuration.rmsNormEpsilon),
      outputGradient: normalizedGradient, rule: rule)
  }

  /// `∂L/∂h_L` for `∂L/∂logits` `[tokens, V]` through the frozen head and norm: `[tokens, d]`.
  public func logitsBackward(
    _ last: Tensor<Scalar>, logitsGradient: Tensor<Scalar>, context: ComputeContext
  ) -> Tensor<Scalar> {
    finalNormBackward(last, normalizedGradient: logitsGradient.matmul(head, context: context))
      .input
  }
}
