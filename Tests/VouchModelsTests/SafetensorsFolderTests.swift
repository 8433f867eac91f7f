import Foundation
import Testing
import VouchTestSupport

@testable import VouchModels

/// Single-file and sharded model folders, and indexes that disagree with their shards.
@Suite struct SafetensorsFolderTests {
  /// Two shards (`a` + `b` in the first, `c` in the second) and an index listing `weightMap`.
  func makeShardedFolder(weightMap: [String: String]) throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory(prefix: "shards")
    var first = SafetensorsWriter()
    try first.add("a", shape: [2], values: [1, 2])
    try first.add("b", shape: [1, 2], values: [3, 4], as: .bfloat16)
    try first.write(to: directory.path("model-00001-of-00002.safetensors"))
    var second = SafetensorsWriter()
    try second.add("c", shape: [3], values: [5, 6, 7])
    try second.write(to: directory.path("model-00002-of-00002.safetensors"))
    let entries = weightMap.keys.sorted().map { "\"\($0)\": \"\(weightMap[$0] ?? "")\"" }
    try directory.write(
      SafetensorsFolder.indexName,
      "{\"metadata\": {\"total_size\": 22}, \"weight_map\": {\(entries.joined(separator: ", "))}}")
    return directory
  }

  static let goodMap = [
    "a": "model-00001-of-00002.safetensors", "b": "model-00001-of-00002.safetensors",
    "c": "model-00002-of-00002.safetensors",
  ]

  @Test func readsShardedFolder() throws {
    let directory = try makeShardedFolder(weightMap: SafetensorsFolderTests.goodMap)
    let folder = try SafetensorsFolder(directory: directory.url)
    #expect(folder.tensorNames == ["a", "b", "c"])
    #expect(folder.shards.count == 2)
    #expect(try folder.float32("c") == [5, 6, 7])
    #expect(try folder.float32("b") == [3, 4])
    #expect(folder.shapeAndType(of: "b")?.shape == [1, 2])
    #expect(folder.indexMetadata["total_size"] == .integer(22))
  }

  @Test func readsSingleFile() throws {
    let directory = try TemporaryDirectory()
    var writer = SafetensorsWriter()
    try writer.add("w", shape: [2, 2], values: [1, 2, 3, 4])
    try writer.write(to: directory.path("model.safetensors"))
    let folder = try SafetensorsFolder(directory: directory.url)
    #expect(folder.tensorNames == ["w"])
    #expect(try folder.float32("w") == [1, 2, 3, 4])
  }

  @Test func missingShardIsNamed() throws {
    var map = SafetensorsFolderTests.goodMap
    map["c"] = "model-00003-of-00002.safetensors"
    let directory = try makeShardedFolder(weightMap: map)
    let message = modelErrorMessage { _ = try SafetensorsFolder(directory: directory.url) }
    #expect(
      message == "\(directory.path(SafetensorsFolder.indexName).path): lists shard "
        + "'model-00003-of-00002.safetensors', which does not exist; download the missing shard")
  }

  @Test func tensorInWrongShardIsNamed() throws {
    var map = SafetensorsFolderTests.goodMap
    map["c"] = "model-00001-of-00002.safetensors"
    let directory = try makeShardedFolder(weightMap: map)
    let message = modelErrorMessage { _ = try SafetensorsFolder(directory: directory.url) }
    #expect(
      message == "\(directory.path(SafetensorsFolder.indexName).path): tensor 'c' is not in "
        + "shard 'model-00001-of-00002.safetensors' as the index says")
  }

  @Test func unlistedTensorIsNamed() throws {
    var map = SafetensorsFolderTests.goodMap
    map["b"] = nil
    let directory = try makeShardedFolder(weightMap: map)
    let message = modelErrorMessage { _ = try SafetensorsFolder(directory: directory.url) }
    #expect(
      message?.hasSuffix(
        "holds tensor 'b', which the index model.safetensors.index.json "
          + "does not list there") == true, "\(message ?? "")")
  }

  @Test func folderWithoutWeights() throws {
    let directory = try TemporaryDirectory()
    let message = modelErrorMessage { _ = try SafetensorsFolder(directory: directory.url) }
    #expect(
      message == "\(directory.url.path): no model.safetensors or "
        + "model.safetensors.index.json; point at a Hugging Face model folder")
  }
}
