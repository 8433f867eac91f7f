// One decoder block's weights in a trainable, scalar-generic form (Float32 for training,
// Float64 for gradient checks, Float32 for inference): the tensors Qwen2DecoderLayer names.
import VouchEngine

/// One decoder block's parameters (or their gradients: the same shapes).
public struct Qwen2LayerParameters<Scalar: TensorScalar>: Sendable {
  /// `input_layernorm.weight`, `[d]`.
  public var inputNormGain: Tensor<Scalar>
  /// `q_proj`: `[heads · d_h, d]` and `[heads · d_h]`.
  public var queryWeight: Tensor<Scalar>, queryBias: Tensor<Scalar>
  /// `k_proj`: `[kvHeads · d_h, d]` and `[kvHeads · d_h]`.
  public var keyWeight: Tensor<Scalar>, keyBias: Tensor<Scalar>
  /// `v_proj`: `[kvHeads · d_h, d]` and `[kvHeads · d_h]`.
  public var valueWeight: Tensor<Scalar>, valueBias: Tensor<Scalar>
  /// `o_proj.weight`, `[d, heads · d_h]`.
  public var outputWeight: Tensor<Scalar>
  /// `post_attention_layernorm.weight`, `[d]`.
  public var postAttentionNormGain: Tensor<Scalar>
  /// `mlp.gate_proj.weight` and `mlp.up_proj.weight`, `[d_ff, d]`.
  public var gateWeight: Tensor<Scalar>, upWeight: Tensor<Scalar>
  /// `mlp.down_proj.weight`, `[d, d_ff]`.
  public var downWeight: Tensor<Scalar>

  /// Every tensor with its checkpoint name suffix (after `model.layers.<i>.`), in a fixed order.
  public static var namedPaths: [(String, WritableKeyPath<Self, Tensor<Scalar>>)] {
    [
      ("input_layernorm.weight", \.inputNormGain),
      ("self_attn.q_proj.weight", \.queryWeight), ("self_attn.q_proj.bias", \.queryBias),
      ("self_attn.k_proj.weight", \.keyWeight), ("self_attn.k_proj.bias", \.keyBias),
      ("self_attn.v_proj.weight", \.valueWeight), ("self_attn.v_proj.bias", \.valueBias),
      ("self_attn.o_proj.weight", \.outputWeight),
      ("post_attention_layernorm.weight", \.postAttentionNormGain),
      ("mlp.gate_proj.weight", \.gateWeight), ("mlp.up_proj.weight", \.upWeight),
      ("mlp.down_proj.weight", \.downWeight),
    ]
  }

  /// Layer `index`'s tensors from `tensor(name, shape)`, which returns the named tensor.
  init(
    index: Int, configuration c: Qwen2Configuration,
    tensor: (String, [Int]) throws -> Tensor<Scalar>
  ) rethrows {
    let prefix = Qwen2DecoderLayer.prefix(index)
    let shapes = Qwen2DecoderLayer.expectedShapes(index: index, configuration: c)
    func load(_ suffix: String) throws -> Tensor<Scalar> {
      try tensor(prefix + suffix, shapes[prefix + suffix] ?? [])
    }
    inputNormGain = try load("input_layernorm.weight")
    queryWeight = try load("self_attn.q_proj.weight")
    queryBias = try load("self_attn.q_proj.bias")
    keyWeight = try load("self_attn.k_proj.weight")
    keyBias = try load("self_attn.k_proj.bias")
    valueWeight = try load("self_attn.v_proj.weight")
    valueBias = try load("self_attn.v_proj.bias")
    outputWeight = try load("self_attn.o_proj.weight")
    postAttentionNormGain = try load("post_attention_layernorm.weight")
    gateWeight = try load("mlp.gate_proj.weight")
    upWeight = try load("mlp.up_proj.weight")
    downWeight = try load("mlp.down_proj.weight")
  }
}
