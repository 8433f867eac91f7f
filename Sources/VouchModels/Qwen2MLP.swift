// Qwen2's SwiGLU MLP (METHOD.md §1.1): down(SiLU(gate(u)) ⊙ up(u)), no biases.
import VouchEngine

/// One layer's MLP weights and forward.
public struct Qwen2MLP: Sendable {
  /// `[d_ff, d]`.
  public var gateWeight: Tensor<Float>
  /// `[d_ff, d]`.
  public var upWeight: Tensor<Float>
  /// `[d, d_ff]`.
  public var downWeight: Tensor<Float>

  /// The tensor names under `prefix` (e.g. `model.layers.3.mlp.`) with their shapes.
  public static func expectedShapes(prefix: String, configuration c: Qwen2Configuration)
    -> [String: [Int]]
  {
    [
      prefix + "gate_proj.weight": [c.intermediateSize, c.hiddenSize],
      prefix + "up_proj.weight": [c.intermediateSize, c.hiddenSize],
      prefix + "down_proj.weight": [c.hiddenSize, c.intermediateSize],
    ]
  }

  /// Widens this MLP's weights from `source`.
  public init(source: any WeightSource, prefix: String, configuration c: Qwen2Configuration)
    throws
  {
    let shapes = Qwen2MLP.expectedShapes(prefix: prefix, configuration: c)
    gateWeight = try source.tensor(
      prefix + "gate_proj.weight",
      shape: shapes[prefix + "gate_proj.weight"] ?? [])
    upWeight = try source.tensor(
      prefix + "up_proj.weight",
      shape: shapes[prefix + "up_proj.weight"] ?? [])
    downWeight = try source.tensor(
      prefix + "down_proj.weight",
      shape: shapes[prefix + "down_proj.weight"] ?? [])
  }

  /// `[tokens, d]` → `[tokens, d]`.
  public func callAsFunction(_ input: Tensor<Float>, context: ComputeContext) -> Tensor<Float> {
    let gate = input.linear(weight: gateWeight, context: context).silu()
    let up = input.linear(weight: upWeight, context: context)
    return (gate * up).linear(weight: downWeight, context: context)
  }
}
