// The backward of a frozen decoder block: only ∂L/∂h, no weight gradients (half the GEMMs of
// `backward`). The operations are `backward`'s, in the same order, so the input gradient is
// bitwise the one `backward` returns. A `BackwardRule` selects the exact gradient or RelP's
// linearisation (METHOD.md §6.4); the forward is the same for both.
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
  ///   - rule: the exact gradient (default) or RelP's linearisation.
  ///   - c: the architecture.
  ///   - context: profile and threads.
  /// - Returns: `∂L/∂h`, `[tokens, d]`.
  public func inputGradient(
    _ a: Activations, outputGradient: Tensor<Scalar>, mlpInputGradient: Tensor<Scalar>? = nil,
    rule: BackwardRule = .exact, configuration c: Qwen2Configuration, context: ComputeContext
  ) -> Tensor<Scalar> {
    inputGradients(
      a, outputGradient: outputGradient, mlpInputGradient: mlpInputGradient, rule: rule,
      configuration: c, context: context
    ).input
  }

  /// ``inputGradient(_:outputGradient:mlpInputGradient:rule:configuration:context:)`` together
  /// with `∂L/∂v`, the gradient of the attention values `v = W_v u + b_v`
  /// (`[tokens, kvHeads · d_h]`, the query heads of each KV group already summed), whose
  /// column sums are the gradient of the value bias `b_v`.
  ///
  /// Under ``BackwardRule/relp`` both norms have frozen scales, the attention pattern is frozen
  /// (no query or key path: only values reach `RMSNorm₁`) and the MLP follows SiLU's identity
  /// rule and the half rule.
  /// - Returns: `∂L/∂h` (`[tokens, d]`) and `∂L/∂v` (`[tokens, kvHeads · d_h]`).
  public func inputGradients(
    _ a: Activations, outputGradient: Tensor<Scalar>, mlpInputGradient: Tensor<Scalar>? = nil,
    rule: BackwardRule = .exact, configuration c: Qwen2Configuration, context: ComputeContext
  ) -> (input: Tensor<Scalar>, value: Tensor<Scalar>) {
    let epsilon = Scalar(c.rmsNormEpsilon)
    var mlpGradient = Qwen2MLP.inputGradient(
      a.mlp, gate: gateWeight, up: upWeight, down: downWeight, outputGradient: outputGradient,
      rule: rule, context: context)
    if let mlpInputGradient { mlpGradient.add(mlpInputGradient) }
    let norm2 = Tensor.rmsNormBackward(
      input: a.residual, gain: postAttentionNormGain, epsilon: epsilon,
      outputGradient: mlpGradient, rule: rule)
    let residualGradient = outputGradient + norm2.input
    let mixedGradient = residualGradient.matmul(outputWeight, context: context)
    var attention = Attention.causalBackward(
      query: a.query, keys: a.key, values: a.value, outputGradient: mixedGradient,
      heads: c.attentionHeads, kvHeads: c.keyValueHeads, headDimension: c.headDimension,
      rule: rule, context: context)
    let normalizedGradient: Tensor<Scalar>
    switch rule {
    case .exact:
      let rope = RotaryEmbedding(headDimension: c.headDimension, theta: c.ropeTheta)
      rope.applyBackward(to: &attention.query, heads: c.attentionHeads, startPosition: 0)
      rope.applyBackward(to: &attention.keys, heads: c.keyValueHeads, startPosition: 0)
      normalizedGradient =
        attention.query.matmul(queryWeight, context: context)
        + attention.keys.matmul(keyWeight, context: context)
        + attention.values.matmul(valueWeight, context: context)
    case .relp:
      // A frozen pattern: queries and keys receive exactly zero, so only the value path counts.
      normalizedGradient = attention.values.matmul(valueWeight, context: context)
    }
    let norm1 = Tensor.rmsNormBackward(
      input: a.input, gain: inputNormGain, epsilon: epsilon, outputGradient: normalizedGradient,
      rule: rule)
    return (residualGradient + norm1.input, attention.values)
  }
}
