// Qwen2 self-attention, as transformers' `Qwen2Attention` computes it (METHOD.md §1.1):
// q/k/v projections with biases, half-split RoPE on q and k, causal GQA in repeat-interleave
// order, scaling 1/√d_h, o_proj without bias.
import VouchEngine

/// One layer's attention weights and forward.
public struct Qwen2Attention: Sendable {
  /// `[heads · d_h, d]` and `[heads · d_h]`.
  public var queryWeight: Tensor<Float>, queryBias: Tensor<Float>
  /// `[kvHeads · d_h, d]` and `[kvHeads · d_h]`.
  public var keyWeight: Tensor<Float>, keyBias: Tensor<Float>
  /// `[kvHeads · d_h, d]` and `[kvHeads · d_h]`.
  public var valueWeight: Tensor<Float>, valueBias: Tensor<Float>
  /// `[d, heads · d_h]`, no bias.
  public var outputWeight: Tensor<Float>
  /// Head layout and RoPE base.
  public let configuration: Qwen2Configuration

  /// The tensor names under `prefix` (e.g. `model.layers.3.self_attn.`) with their shapes.
  public static func expectedShapes(prefix: String, configuration c: Qwen2Configuration)
    -> [String: [Int]]
  {
    let (q, kv, d) = (
      c.attentionHeads * c.headDimension, c.keyValueHeads * c.headDimension,
      c.hiddenSize
    )
    return [
      prefix + "q_proj.weight": [q, d], prefix + "q_proj.bias": [q],
      prefix + "k_proj.weight": [kv, d], prefix + "k_proj.bias": [kv],
      prefix + "v_proj.weight": [kv, d], prefix + "v_proj.bias": [kv],
      prefix + "o_proj.weight": [d, q],
    ]
  }

  /// Widens this attention's weights from `source`.
  public init(source: any WeightSource, prefix: String, configuration c: Qwen2Configuration)
    throws
  {
    let shapes = Qwen2Attention.expectedShapes(prefix: prefix, configuration: c)
    func load(_ name: String) throws -> Tensor<Float> {
      try source.tensor(prefix + name, shape: shapes[prefix + name] ?? [])
    }
    queryWeight = try load("q_proj.weight")
    queryBias = try load("q_proj.bias")
    keyWeight = try load("k_proj.weight")
    keyBias = try load("k_proj.bias")
    valueWeight = try load("v_proj.weight")
    valueBias = try load("v_proj.bias")
    outputWeight = try load("o_proj.weight")
    configuration = c
  }

  /// Attention over `input` plus any cached earlier positions.
  /// - Parameters:
  ///   - input: `[tokens, d]`, the normalised residual stream.
  ///   - cache: this layer's keys/values for earlier positions; the new ones are appended.
  ///   - context: profile and threads.
  /// - Returns: `[tokens, d]`.
  public func callAsFunction(
    _ input: Tensor<Float>, cache: inout Qwen2KVCache.Layer, context: ComputeContext
  ) -> Tensor<Float> {
    let c = configuration
    let start = cache.count
    let rope = RotaryEmbedding(headDimension: c.headDimension, theta: c.ropeTheta)
    var query = input.linear(weight: queryWeight, bias: queryBias, context: context)
    var key = input.linear(weight: keyWeight, bias: keyBias, context: context)
    let value = input.linear(weight: valueWeight, bias: valueBias, context: context)
    rope.apply(to: &query, heads: c.attentionHeads, startPosition: start)
    rope.apply(to: &key, heads: c.keyValueHeads, startPosition: start)
    cache.append(keys: key, values: value)
    let mixed = Attention.causal(
      query: query, keys: cache.keyBuffer, values: cache.valueBuffer, keyCount: cache.count,
      heads: c.attentionHeads,
      kvHeads: c.keyValueHeads, headDimension: c.headDimension, context: context)
    return mixed.linear(weight: outputWeight, context: context)
  }
}
