import Foundation
import VouchEngine
import VouchModels
import VouchTestSupport

/// One committed transformers reference (Tests/Fixtures/qwen2/<name>/reference.json, written by
/// scripts/fixtures/qwen2_models.py).
struct Qwen2Reference: Decodable {
  let inputIDs: [Int]
  let logits: [[Float]]
  let lastHiddenState: [[Float]]
  let residualStream: [[[Float]]]
  let mlpInputs: [[[Float]]]
  let mlpOutputs: [[[Float]]]
  let greedyPrompt: [Int]
  let greedyGenerated: [Int]

  enum CodingKeys: String, CodingKey {
    case inputIDs = "input_ids"
    case logits
    case lastHiddenState = "last_hidden_state"
    case residualStream = "residual_stream"
    case mlpInputs = "mlp_inputs"
    case mlpOutputs = "mlp_outputs"
    case greedyPrompt = "greedy_prompt"
    case greedyGenerated = "greedy_generated"
  }

  /// Every fixture model folder name.
  static let names = [
    "tied-f32-gqa", "untied-f32-headdim", "untied-bf16", "tied-bf16", "sharded-f32",
    "tokenizer-sized-bf16",
  ]

  static func directory(_ name: String) -> URL { Fixtures.url("qwen2/\(name)") }

  static func load(_ name: String) throws -> Qwen2Reference {
    let data = try Data(contentsOf: directory(name).appendingPathComponent("reference.json"))
    return try JSONDecoder().decode(Qwen2Reference.self, from: data)
  }
}

/// `rows` as a `[rows.count, width]` tensor.
func matrix(_ rows: [[Float]]) -> Tensor<Float> {
  Tensor(shape: [rows.count, rows.first?.count ?? 0], scalars: rows.flatMap { $0 })
}

/// All tensors of a model folder, in memory (to build broken variants for loading tests).
func inMemoryTensors(_ name: String) throws -> [String: Tensor<Float>] {
  let folder = try SafetensorsFolder(directory: Qwen2Reference.directory(name))
  var tensors: [String: Tensor<Float>] = [:]
  for tensorName in folder.tensorNames {
    guard let info = folder.shapeAndType(of: tensorName) else { continue }
    tensors[tensorName] = try folder.tensor(tensorName, shape: info.shape)
  }
  return tensors
}
