// Qwen2's SwiGLU MLP (METHOD.md §1.1): down(SiLU(gate(u)) ⊙ up(u)), no biases. The forward and
// backward are in Qwen2MLP+Backward.swift; the weights live in Qwen2LayerParameters.

/// The MLP's tensor names and its generic forward and backward.
public enum Qwen2MLP {
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
}
