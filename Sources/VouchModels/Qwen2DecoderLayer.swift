// A Qwen2 decoder block (METHOD.md §1.1): pre-norm, two residual adds:
//   h' = h + Attn(RMSNorm₁(h));  h_out = h' + MLP(RMSNorm₂(h')).
import VouchEngine

/// One decoder block's weights and forward.
public struct Qwen2DecoderLayer: Sendable {
  /// `input_layernorm.weight`, `[d]`.
  public var inputNormGain: Tensor<Float>
  /// `post_attention_layernorm.weight`, `[d]`.
  public var postAttentionNormGain: Tensor<Float>
  /// `self_attn.*`.
  public var attention: Qwen2Attention
  /// `mlp.*`.
  public var mlp: Qwen2MLP
  /// RMSNorm ε.
  public let epsilon: Float

  /// The tensor name prefix of layer `index`.
  public static func prefix(_ index: Int) -> String { "model.layers.\(index)." }

  /// Every tensor name of layer `index` with its shape.
  public static func expectedShapes(index: Int, configuration c: Qwen2Configuration)
    -> [String: [Int]]
  {
    let prefix = prefix(index)
    var shapes = Qwen2Attention.expectedShapes(prefix: prefix + "self_attn.", configuration: c)
    shapes.merge(Qwen2MLP.expectedShapes(prefix: prefix + "mlp.", configuration: c)) { a, _ in a }
    shapes[prefix + "input_layernorm.weight"] = [c.hiddenSize]
    shapes[prefix + "post_attention_layernorm.weight"] = [c.hiddenSize]
    return shapes
  }

  /// Widens layer `index`'s weights from `source` (bf16 and f16 become Float32 here).
  public init(source: any WeightSource, index: Int, configuration c: Qwen2Configuration) throws {
    let prefix = Qwen2DecoderLayer.prefix(index)
    inputNormGain = try source.tensor(prefix + "input_layernorm.weight", shape: [c.hiddenSize])
    postAttentionNormGain = try source.tensor(
      prefix + "post_attention_layernorm.weight", shape: [c.hiddenSize])
    attention = try Qwen2Attention(source: source, prefix: prefix + "self_attn.", configuration: c)
    mlp = try Qwen2MLP(source: source, prefix: prefix + "mlp.", configuration: c)
    epsilon = Float(c.rmsNormEpsilon)
  }

  /// Runs the block on `hidden` in place.
  /// - Parameters:
  ///   - hidden: the residual stream `[tokens, d]`; on return, this block's output.
  ///   - cache: this layer's KV cache (extended by the new positions).
  ///   - context: profile and threads.
  ///   - captureMLP: whether to return the MLP's input and output.
  /// - Returns: the MLP input (the normalised `h'`) and output, `[tokens, d]` each, when
  ///   `captureMLP` is set.
  @discardableResult
  public func forward(
    _ hidden: inout Tensor<Float>, cache: inout Qwen2KVCache.Layer, context: ComputeContext,
    captureMLP: Bool = false
  ) -> (input: Tensor<Float>, output: Tensor<Float>)? {
    let attended = attention(
      hidden.rmsNormalized(gain: inputNormGain, epsilon: epsilon), cache: &cache,
      context: context)
    hidden.add(attended)
    let normalized = hidden.rmsNormalized(gain: postAttentionNormGain, epsilon: epsilon)
    let transformed = mlp(normalized, context: context)
    hidden.add(transformed)
    return captureMLP ? (normalized, transformed) : nil
  }
}
