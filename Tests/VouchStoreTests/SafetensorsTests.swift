import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

/// Builds a safetensors file from `(name, bytes)` tensors (dtype U8, shape [count]).
func safetensors(_ tensors: [(String, [UInt8])], metadata: String = "x") -> Data {
  var entries = ["\"__metadata__\":{\"note\":\"\(metadata)\"}"]
  var offset = 0
  for (name, bytes) in tensors {
    entries.append(
      "\"\(name)\":{\"dtype\":\"U8\",\"shape\":[\(bytes.count)],"
        + "\"data_offsets\":[\(offset),\(offset + bytes.count)]}"
    )
    offset += bytes.count
  }
  let header = Array("{\(entries.joined(separator: ","))}".utf8)
  var out = Data()
  var length = UInt64(header.count)
  for _ in 0..<8 {
    out.append(UInt8(truncatingIfNeeded: length))
    length >>= 8
  }
  out.append(contentsOf: header)
  for (_, bytes) in tensors { out.append(contentsOf: bytes) }
  return out
}

@Suite struct SafetensorsTests {
  @Test func cutPointsAreTheHeaderEndAndTensorBoundaries() throws {
    let file = safetensors([("a", [UInt8](repeating: 1, count: 1000)), ("b", [2, 3])])
    let headerLength = Int64(file.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) })
    let cuts = Set(
      SafetensorsLayout.cutPoints(
        header: file.subdata(in: 8..<(8 + Int(headerLength))), fileSize: Int64(file.count)))
    let dataStart = 8 + headerLength
    #expect(cuts == [dataStart, dataStart + 1000])
  }

  @Test func invalidHeadersFallBackToPlainChunking() {
    #expect(SafetensorsLayout.cutPoints(header: Data("not json".utf8), fileSize: 100).isEmpty)
    #expect(
      SafetensorsLayout.cutPoints(
        header: Data(#"{"a":{"data_offsets":[0,500]}}"#.utf8), fileSize: 100
      ).isEmpty)
  }

  @Test func checkpointsSharingATensorShareItsChunks() throws {
    let (directory, store) = try makeStore()
    var generator = SeededGenerator(seed: 11)
    let shared = generator.bytes(200_000)
    let first = safetensors(
      [("embed", shared), ("head", generator.bytes(50_000))], metadata: "step 1")
    let second = safetensors(
      [("embed", shared), ("head", generator.bytes(50_001))], metadata: "step 2, longer header")
    let a = try store.ingest(file: try directory.write("a.safetensors", first))
    let b = try store.ingest(file: try directory.write("b.safetensors", second))
    // The shared tensor re-uses all its chunks: only the header, the new head and the recipe
    // are new.
    #expect(b.newBytes.value < 50_001 + 2_000 + 8 * 1024)
    #expect(try store.data(for: a.digest) == first)
    #expect(try store.data(for: b.digest) == second)
    let recipe = try store.recipe(b.digest).recipe
    var offsets = Set<Int64>()
    var position: Int64 = 0
    for chunk in recipe.chunks {
      position += chunk.size
      offsets.insert(position)
    }
    let headerEnd = Int64(second.count - shared.count - 50_001)
    #expect(offsets.contains(headerEnd))
    #expect(offsets.contains(headerEnd + Int64(shared.count)))
  }
}
