// The decoder block's one forward (inference with a KV cache, training, the replacement model,
// attribution) and its backward, next to each other (METHOD.md §1.1):
//   h' = h + Attn(RMSNorm₁(h));  h_out = h' + MLP(RMSNorm₂(h')).
import VouchEngine

extension Qwen2LayerParameters {
  /// What the block's backward needs from its forward; `[tokens, ·]` each.
  public struct Activations: Sendable {
    /// The block input `h`, `[tokens, d]`.
    public var input: Tensor<Scalar>
    /// `RMSNorm₁(h)`, `[tokens, d]`.
    public var normalized: Tensor<Scalar>
    /// Queries and keys after RoPE, values: `[tokens, heads · d_h]`, `[tokens, kvHeads · d_h]`.
    public var query: Tensor<Scalar>, key: Tensor<Scalar>, value: Tensor<Scalar>
    /// The attention mix before `o_proj`, `[tokens, heads · d_h]`.
    public var mixed: Tensor<Scalar>
    /// `h' = h + Attn(RMSNorm₁(h))`, `[tokens, d]`.
    public var residual: Tensor<Scalar>
    /// The MLP's activations (its input is `RMSNorm₂(h')`).
    public var mlp: Qwen2MLP.Activations<Scalar>
    /// The MLP's output `MLP(RMSNorm₂(h'))`, `[tokens, d]`.
    public var mlpOutput: Tensor<Scalar>
  }

  /// `h_out = h' + MLP(RMSNorm₂(h'))`, `h' = h + Attn(RMSNorm₁(h))`, for `h` `[tokens, d]` at
  /// positions `0..<tokens`; returns `[tokens, d]` and the activations.
  public func forward(
    _ hidden: Tensor<Scalar>, configuration c: Qwen2Configuration, context: ComputeContext
  ) -> (output: Tensor<Scalar>, activations: Activations) {
    var cache = KeyValueCache<Scalar>(width: c.keyValueHeads * c.headDimension)
    return forward(hidden, configuration: c, cache: &cache, context: context)
  }

  /// The block on `h` `[tokens, d]` at positions `cache.count ..< cache.count + tokens`,
  /// attending over the cached positions too; the new keys and values are appended. Returns
  /// `[tokens, d]` and the activations (``backward(_:outputGradient:configuration:context:)``
  /// needs a forward from an empty cache).
  public func forward(
    _ hidden: Tensor<Scalar>, configuration c: Qwen2Configuration,
    cache: inout KeyValueCache<Scalar>, context: ComputeContext
  ) -> (output: Tensor<Scalar>, activations: Activations) {
    let epsilon = Scalar(c.rmsNormEpsilon)
    let rope = RotaryEmbedding(headDimension: c.headDimension, theta: c.ropeTheta)
    let normalized = hidden.rmsNormalized(gain: inputNormGain, epsilon: epsilon)
    var query = normalized.linear(weight: queryWeight, bias: queryBias, context: context)
    var key = normalized.linear(weight: keyWeight, bias: keyBias, context: context)
    let value = normalized.linear(weight: valueWeight, bias: valueBias, context: context)
    let start = cache.count
    rope.apply(to: &query, heads: c.attentionHeads, startPosition: start)
    rope.apply(to: &key, heads: c.keyValueHeads, startPosition: start)
    cache.append(keys: key, values: value)
    let mixed = Attention.causal(
      query: query, keys: cache.keyBuffer, values: cache.valueBuffer, keyCount: cache.count,
      heads: c.attentionHeads, kvHeads: c.keyValueHeads, headDimension: c.headDimension,
      context: context)
    var residual = hidden
    residual.add(mixed.linear(weight: outputWeight, context: context))
    let mlpInput = residual.rmsNormalized(gain: postAttentionNormGain, epsilon: epsilon)
    let mlp = Qwen2MLP.forward(
      mlpInput, gate: gateWeight, up: upWeight, down: downWeight, context: context)
    var output = residual
    output.add(mlp.output)
    let activations = Activations(
      input: hidden, normalized: normalized, query: query, key: key, value: value, mixed: mixed,
      residual: residual, mlp: mlp.activations, mlpOutput: mlp.output)
    return (output, activations)
  }

  /// Gradients of ``forward(_:configuration:context:)`` for `∂L/∂h_out` `[tokens, d]`: `∂L/∂h`
  /// (`[tokens, d]`, the input gradient frozen-layer training needs) and every weight's gradient.
  /// Residual and branch gradients are added in a fixed order (skip path first).
  public func backward(
    _ a: Activations, outputGradient: Tensor<Scalar>, configuration c: Qwen2Configuration,
    context: ComputeContext
  ) -> (input: Tensor<Scalar>, gradients: Self) {
    let epsilon = Scalar(c.rmsNormEpsilon)
    var grads = self
    let mlp = Qwen2MLP.backward(
      a.mlp, gate: gateWeight, up: upWeight, down: downWeight, outputGradient: outputGradient,
      context: context)
    (grads.gateWeight, grads.upWeight, grads.downWeight) = (mlp.gate, mlp.up, mlp.down)
    let norm2 = Tensor.rmsNormBackward(
      input: a.residual, gain: postAttentionNormGain, epsilon: epsilon, outputGradient: mlp.input)
    grads.postAttentionNormGain = norm2.gain
    let residualGradient = outputGradient + norm2.input
    let output = Tensor.linearBackward(
      input: a.mixed, weight: outputWeight, outputGradient: residualGradient, context: context)
    grads.outputWeight = output.weight
    var attention = Attention.causalBackward(
      query: a.query, keys: a.key, values: a.value, outputGradient: output.input,
      heads: c.attentionHeads, kvHeads: c.keyValueHeads, headDimension: c.headDimension,
      context: context)
    let rope = RotaryEmbedding(headDimension: c.headDimension, theta: c.ropeTheta)
    rope.applyBackward(to: &attention.query, heads: c.attentionHeads, startPosition: 0)
    rope.applyBackward(to: &attention.keys, heads: c.keyValueHeads, startPosition: 0)
    let q = Tensor.linearBackward(
      input: a.normalized, weight: queryWeight, outputGradient: attention.query, hasBias: true,
      context: context)
    let k = Tensor.linearBackward(
      input: a.normalized, weight: keyWeight, outputGradient: attention.keys, hasBias: true,
      context: context)
    let v = Tensor.linearBackward(
      input: a.normalized, weight: valueWeight, outputGradient: attention.values, hasBias: true,
      context: context)
    (grads.queryWeight, grads.keyWeight, grads.valueWeight) = (q.weight, k.weight, v.weight)
    grads.queryBias = q.bias ?? queryBias.scaled(by: 0)
    grads.keyBias = k.bias ?? keyBias.scaled(by: 0)
    grads.valueBias = v.bias ?? valueBias.scaled(by: 0)
    let norm1 = Tensor.rmsNormBackward(
      input: a.input, gain: inputNormGain, epsilon: epsilon,
      outputGradient: q.input + k.input + v.input)
    grads.inputNormGain = norm1.gain
    return (residualGradient + norm1.input, grads)
  }
}
