// Trained parameters saved as a Hugging Face model folder that Qwen2Model (and transformers)
// loads back.
import Foundation
import VouchEngine

extension Qwen2Parameters {
  /// Writes `config.json`, `model.safetensors` (Float32) and, when given, `tokenizer.json` into
  /// `directory` (created if missing), each file atomically.
  ///
  /// Deterministic: `config.json` is encoded with sorted keys and a final newline, the
  /// safetensors file by ``SafetensorsWriter`` (sorted names, fixed metadata), so equal
  /// parameters give byte-identical folders.
  /// - Parameters:
  ///   - directory: the model folder.
  ///   - tokenizerJSON: the text of `tokenizer.json` (e.g. `OrganismVocabulary.tokenizerJSON()`).
  /// - Throws: `ModelError.io` naming the file that could not be written.
  public func save(to directory: URL, tokenizerJSON: String? = nil) throws {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw ModelError(.io, "\(directory.path): cannot create the model folder (\(error))")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    let config: Data
    do {
      config = try encoder.encode(configuration)
    } catch {
      throw ModelError(.malformed, "cannot encode the model configuration (\(error))")
    }
    try AtomicFile.write(
      Array(config) + Array("\n".utf8), to: directory.appendingPathComponent("config.json"))
    try safetensors(as: .float32).write(to: directory.appendingPathComponent("model.safetensors"))
    if let tokenizerJSON {
      try AtomicFile.write(
        Array(tokenizerJSON.utf8), to: directory.appendingPathComponent("tokenizer.json"))
    }
  }
}
