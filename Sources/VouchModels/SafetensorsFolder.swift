import Foundation

/// The weights of a Hugging Face model folder: one `model.safetensors`, or shards listed in
/// `model.safetensors.index.json` (`{"metadata": {...}, "weight_map": {tensor: shard file}}`).
///
/// Opening validates every shard's header and the index against the shards: each listed file must
/// exist, each listed tensor must be in the shard the index names, and no shard may hold a tensor
/// the index does not list.
public struct SafetensorsFolder: WeightSource {
  /// The name of the shard index Hugging Face writes.
  public static let indexName = "model.safetensors.index.json"
  /// The name of the single weights file Hugging Face writes.
  public static let singleName = "model.safetensors"

  /// The folder.
  public let directory: URL
  /// The opened files, sorted by file name.
  public let shards: [SafetensorsFile]
  /// The index's `metadata` object (empty without an index).
  public let indexMetadata: [String: JSONNode]
  private let location: [String: Int]

  /// Every tensor name, sorted.
  public let tensorNames: [String]

  /// Opens the weights in `directory` (index first, else `model.safetensors`).
  /// - Throws: `ModelError` naming the folder, file or tensor that is missing or malformed.
  public init(directory: URL) throws {
    self.directory = directory
    let fileManager = FileManager.default
    let indexURL = directory.appendingPathComponent(SafetensorsFolder.indexName)
    let singleURL = directory.appendingPathComponent(SafetensorsFolder.singleName)
    if fileManager.fileExists(atPath: indexURL.path) {
      let (metadata, weightMap) = try SafetensorsFolder.readIndex(indexURL)
      indexMetadata = metadata
      let fileNames = Array(Set(weightMap.values)).sorted()
      var shards: [SafetensorsFile] = []
      for fileName in fileNames {
        let url = directory.appendingPathComponent(fileName)
        guard fileManager.fileExists(atPath: url.path) else {
          throw ModelError(
            .missing,
            "\(indexURL.path): lists shard '\(fileName)', which does not exist; "
              + "download the missing shard")
        }
        shards.append(try SafetensorsFile(url: url))
      }
      var location: [String: Int] = [:]
      for (name, fileName) in weightMap {
        guard let shard = fileNames.firstIndex(of: fileName), shards[shard].info(name) != nil else {
          throw ModelError(
            .mismatch,
            "\(indexURL.path): tensor '\(name)' is not in shard '\(fileName)' "
              + "as the index says")
        }
        location[name] = shard
      }
      for (position, shard) in shards.enumerated() {
        for name in shard.tensorNames where location[name] != position {
          throw ModelError(
            .mismatch,
            "\(shard.url.path): holds tensor '\(name)', which the index "
              + "\(SafetensorsFolder.indexName) does not list there")
        }
      }
      self.shards = shards
      self.location = location
    } else if fileManager.fileExists(atPath: singleURL.path) {
      let file = try SafetensorsFile(url: singleURL)
      shards = [file]
      indexMetadata = [:]
      location = Dictionary(uniqueKeysWithValues: file.tensorNames.map { ($0, 0) })
    } else {
      throw ModelError(
        .missing,
        "\(directory.path): no \(SafetensorsFolder.singleName) or "
          + "\(SafetensorsFolder.indexName); point at a Hugging Face model folder")
    }
    tensorNames = location.keys.sorted()
  }

  /// Reads `model.safetensors.index.json`: its metadata and its tensor → file map.
  private static func readIndex(_ url: URL) throws -> ([String: JSONNode], [String: String]) {
    let bytes = try readBytes(url)
    let root = try JSONReader.parse(bytes, file: url.path)
    guard let members = root["weight_map"]?.objectValue else {
      throw ModelError.malformed(url.path, "has no 'weight_map' object")
    }
    var weightMap: [String: String] = [:]
    for member in members {
      guard let fileName = member.value.stringValue,
        !fileName.contains("/"), !fileName.hasPrefix(".")
      else {
        throw ModelError.malformed(
          url.path, "weight_map entry '\(member.key)' must name a file in the same folder")
      }
      guard weightMap.updateValue(fileName, forKey: member.key) == nil else {
        throw ModelError.malformed(url.path, "tensor '\(member.key)' is listed twice")
      }
    }
    var metadata: [String: JSONNode] = [:]
    for member in root["metadata"]?.objectValue ?? [] { metadata[member.key] = member.value }
    return (metadata, weightMap)
  }

  /// The whole of a small file (an index, a config); large files are mapped instead.
  static func readBytes(_ url: URL) throws -> [UInt8] {
    do {
      return [UInt8](try Data(contentsOf: url))
    } catch {
      if !FileManager.default.fileExists(atPath: url.path) {
        throw ModelError(.missing, "\(url.path): no such file")
      }
      throw ModelError(.io, "\(url.path): cannot read (\(error.localizedDescription))")
    }
  }

  /// The shard holding `name`, or `nil`.
  public func shard(of name: String) -> SafetensorsFile? {
    location[name].map { shards[$0] }
  }

  /// Shape and stored element type of `name`, or `nil` when there is no such tensor.
  public func shapeAndType(of name: String) -> (shape: [Int], dtype: WeightDType)? {
    shard(of: name)?.shapeAndType(of: name)
  }

  /// The tensor `name` widened to Float32, row-major, `shape.reduce(1, *)` elements.
  /// - Throws: `ModelError.missing` naming the tensor and the folder.
  public func float32(_ name: String) throws -> [Float] {
    guard let shard = shard(of: name) else {
      throw ModelError(.missing, "\(directory.path): no tensor named '\(name)'")
    }
    return try shard.float32(name)
  }
}
