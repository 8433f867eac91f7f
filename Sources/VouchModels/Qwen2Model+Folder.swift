import Foundation
import VouchEngine

extension Qwen2Model {
  /// Opens a Hugging Face model folder: `config.json` plus `model.safetensors` or a sharded
  /// `model.safetensors.index.json`, memory-mapped (bf16 stays bf16 until a layer runs).
  /// - Parameters:
  ///   - directory: the model folder.
  ///   - residency: keep Float32 weights resident, or widen per layer (default).
  /// - Throws: `ModelError` naming the file or tensor that is missing, malformed or unexpected.
  public init(directory: URL, residency: Residency = .streamed) throws {
    let configuration = try Qwen2Configuration(
      contentsOf: directory.appendingPathComponent("config.json"))
    let weights = try SafetensorsFolder(directory: directory)
    do {
      try self.init(configuration: configuration, weights: weights, residency: residency)
    } catch let error as ModelError {
      throw ModelError(error.code, "\(directory.path): \(error.message)")
    }
  }
}
