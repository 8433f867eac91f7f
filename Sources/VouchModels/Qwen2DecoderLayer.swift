// A Qwen2 decoder block's tensor names and shapes (METHOD.md §1.1, transformers' checkpoint
// layout). The block's weights are ``Qwen2LayerParameters`` and its one forward is
// ``Qwen2LayerParameters/forward(_:configuration:cache:context:)``, for inference and training.

/// Names and shapes of a decoder block's tensors.
public enum Qwen2DecoderLayer {
  /// The tensor name prefix of layer `index`.
  public static func prefix(_ index: Int) -> String { "model.layers.\(index)." }

  /// Every tensor name of layer `index` with its shape.
  public static func expectedShapes(index: Int, configuration c: Qwen2Configuration)
    -> [String: [Int]]
  {
    let prefix = prefix(index)
    var shapes = attentionShapes(prefix: prefix + "self_attn.", configuration: c)
    shapes.merge(Qwen2MLP.expectedShapes(prefix: prefix + "mlp.", configuration: c)) { a, _ in a }
    shapes[prefix + "input_layernorm.weight"] = [c.hiddenSize]
    shapes[prefix + "post_attention_layernorm.weight"] = [c.hiddenSize]
    return shapes
  }

  /// The tensor names under `prefix` (e.g. `model.layers.3.self_attn.`) with their shapes.
  static func attentionShapes(prefix: String, configuration c: Qwen2Configuration)
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
}
