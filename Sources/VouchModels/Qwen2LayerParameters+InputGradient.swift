// The backward of a frozen decoder block: only ∂L/∂h, no weight gradients (half the GEMMs of
// `backward`). The operations are `backward`'s, in the same order, so the input gradient is
// bitwise the one `backward` returns.
import VouchEngine

extension Qwen2LayerParameters {
  /// `∂L/∂h` of ``forward(_:configuration:context:)`` for `∂L/∂h_out` `[tokens, d]`, the
  /// weights held fixed (the target model's blocks in a bridging tail, or the frozen part of a
  /// replacement block).
  /// - Parameters:
  ///   - a: the block's forward activations.
  ///   - outputGradient: `∂L/∂h_out`, `[tokens, d]`.
  ///   - mlpInputGradient: an extra `∂L/∂u` for the MLP input `u = RMSNorm₂(h')` from another
  ///     reader of `u` (a transcoder adapter), `[tokens, d]`, added after the MLP's own; or `nil`.
  ///   - c: the architecture.
  ///   - context: profile and threads.
  /// - Returns: `∂L/∂h`, `[tokens, d]`.
  public func inputGradient(
    _ a: Activations, outputGradient: Tensor<Scalar>, mlpInputGradient: Tensor<Scalar>? = nil,
    configuration c: Qwen2Configuration, context: ComputeContext
  ) -> Tensor<Scalar> {
    let epsilon = Scalar(c.rmsNormEpsilon)
    let m = a.mlp
    let productGradient = outputGradient.matmul(downWeight, context: context)
    let gateGradient = Tensor.siluBackward(input: m.gate, outputGradient: productGradient * m.up)
    let upGradient = productGradient * m.activated
    var mlpGradient =
      gateGradient.matmul(gateWeight, context: context)
      + upGradient.matmul(upWeight, context: context)
    if let mlpInputGradient { mlpGradient.add(mlpInputGradient) }
    let norm2 = Tensor.rmsNormBackward(
      input: a.residual, gain: postAttentionNormGain, epsilon: epsilon,
      outputGradient: mlpGradient)
    let residualGradient = outputGradient + norm2.input
    let mixedGradient = residualGradient.matmul(outputWeight, context: context)
    var attention = Attention.causalBackward(
      query: a.query, keys: a.key, values: a.value, outputGradient: mixedGradient,
      heads: c.attentionHeads, kvHeads: c.keyValueHeads, headDimension: c.headDimension,
      context: context)
    let rope = RotaryEmbedding(headDimension: c.headDimension, theta: c.ropeTheta)
    rope.applyBackward(to: &attention.query, heads: c.attentionHeads, startPosition: 0)
    rope.applyBackward(to: &attention.keys, heads: c.keyValueHeads, startPosition: 0)
    let normalizedGradient =
      attention.query.matmul(queryWeight, context: context)
      + attention.keys.matmul(keyWeight, context: context)
      + attention.values.matmul(valueWeight, context: context)
    let norm1 = Tensor.rmsNormBackward(
      input: a.input, gain: inputNormGain, epsilon: epsilon, outputGradient: normalizedGradient)
    return residualGradient + norm1.input
  }
}
