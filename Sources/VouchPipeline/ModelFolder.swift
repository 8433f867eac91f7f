import Foundation
import VouchCore
import VouchModels

/// A Hugging Face model folder on disk: `config.json`, `tokenizer.json` and safetensors weights
/// (one `model.safetensors` or shards with `model.safetensors.index.json`).
///
/// Each part is opened on demand, so `vouch model tokenize` works on a folder whose weights are
/// still downloading, and errors name the part that is missing.
public struct ModelFolder: Sendable {
  /// The folder.
  public let directory: URL

  /// A folder at `path` (relative paths resolve against the current directory).
  /// - Throws: `ModelError.missing` when `path` is not a directory.
  public init(path: String) throws {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw ModelError(
        .missing,
        "\(path): not a directory; point at a Hugging Face model folder "
          + "(config.json, tokenizer.json, *.safetensors)")
    }
    directory = url
  }

  /// `config.json` parsed as JSON.
  /// - Throws: `ModelError` when the file is missing or not a JSON object.
  public func configuration() throws -> JSONNode {
    let url = directory.appendingPathComponent("config.json")
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw ModelError(
        .missing,
        "\(directory.path): no config.json; point at a Hugging Face model folder "
          + "(save it with model.save_pretrained)")
    }
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw ModelError(.io, "\(url.path): cannot read (\(error.localizedDescription))")
    }
    let root = try JSONReader.parse([UInt8](data), file: url.path)
    guard root.objectValue != nil else {
      throw ModelError(.malformed, "\(url.path): is not a JSON object")
    }
    return root
  }

  /// The safetensors weights.
  /// - Throws: `ModelError` naming the missing or malformed file or tensor.
  public func weights() throws -> SafetensorsFolder {
    try SafetensorsFolder(directory: directory)
  }

  /// The tokenizer from `tokenizer.json`.
  /// - Throws: `ModelError` when the file is missing, malformed or not Qwen2-style BPE.
  public func tokenizer() throws -> Tokenizer {
    let url = directory.appendingPathComponent("tokenizer.json")
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw ModelError(
        .missing,
        "\(directory.path): no tokenizer.json; save it next to the weights "
          + "(tokenizer.save_pretrained writes it)")
    }
    return try Tokenizer(contentsOf: url)
  }

  /// Reads the configuration and weights and digests every tensor and file.
  ///
  /// Digests are SHA-256 of the stored bytes (a tensor's little-endian bytes as the file holds
  /// them; a file's whole content, the number `sha256sum` and Hugging Face's LFS pointers give).
  /// - Throws: `ModelError` for a missing or malformed part.
  public func inspect() throws -> ModelInspection {
    let config = try configuration()
    try ModelInspection.Configuration.validateSizes(
      of: config, file: directory.appendingPathComponent("config.json").path)
    let weights = try weights()
    var tensors: [ModelInspection.Tensor] = []
    var dtypes: [String: Int] = [:]
    var parameters = 0
    for name in weights.tensorNames {
      guard let shard = weights.shard(of: name), let info = shard.info(name) else { continue }
      let digest = try shard.withRawBytes(of: name) { Digest.of($0) }
      tensors.append(
        ModelInspection.Tensor(
          name: name, dtype: info.dtype.rawValue, shape: info.shape,
          parameters: info.elementCount, file: shard.url.lastPathComponent, digest: digest))
      dtypes[info.dtype.rawValue, default: 0] += info.elementCount
      parameters += info.elementCount
    }
    var files = weights.shards.map { shard in
      ModelInspection.File(
        name: shard.url.lastPathComponent, bytes: shard.byteCount,
        digest: shard.withFileBytes { Digest.of($0) })
    }
    for name in [
      "config.json", "tokenizer.json", SafetensorsFolder.indexName, "generation_config.json",
    ] {
      let url = directory.appendingPathComponent(name)
      guard let data = try? Data(contentsOf: url) else { continue }
      files.append(ModelInspection.File(name: name, bytes: data.count, digest: Digest.of(data)))
    }
    files.sort { $0.name < $1.name }
    return ModelInspection(
      directory: directory.path, configuration: ModelInspection.Configuration(config),
      parameters: parameters, dtypes: dtypes, tensors: tensors, files: files)
  }
}
