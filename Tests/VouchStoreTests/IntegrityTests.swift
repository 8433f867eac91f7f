import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

@Suite struct IntegrityTests {
  @Test func aFlippedByteInAWholeObjectIsCaughtByCheckAndMaterialize() throws {
    let (directory, store) = try makeStore()
    let stored = try store.ingest(file: try directory.write("a", randomBytes(10_000, seed: 1)))
    try flipByte(at: 5_000, in: store.objectPath(stored.digest))
    let report = try store.check()
    #expect(report.problems.map(\.item) == [.object])
    #expect(report.problems.first?.issue == .corrupt)
    #expect(report.brokenContent == [stored.digest])
    let out = directory.path("out/a")
    try directory.write("out/a", "previous")
    let error = try #require(throws: StoreError.self) {
      try store.materialize(stored.digest, to: out, mode: .copy)
    }
    #expect(error.category == .integrity)
    #expect(try String(contentsOf: out, encoding: .utf8) == "previous")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path("out").path) == ["a"])
    #expect(throws: StoreError.self) {
      try store.materialize(stored.digest, to: out, mode: .hardlink)
    }
  }

  @Test func aFlippedByteInAChunkIsCaughtAndNamesTheFile() throws {
    let (directory, store) = try makeStore()
    let stored = try store.ingest(file: try directory.write("a", randomBytes(500_000, seed: 2)))
    let chunk = try store.recipe(stored.digest).recipe.chunks[3]
    try flipByte(at: 10, in: store.objectPath(chunk.digest))
    let report = try store.check()
    #expect(report.problems.count == 1)
    #expect(report.problems.first?.item == .chunk)
    #expect(report.problems.first?.digest == chunk.digest)
    #expect(report.brokenContent == [stored.digest])
    #expect(throws: StoreError.self) { try store.data(for: stored.digest) }
    #expect(!FileManager.default.fileExists(atPath: directory.path("out").path))
    #expect(throws: StoreError.self) {
      try store.materialize(stored.digest, to: directory.path("out/a"))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("out").path).isEmpty)
  }

  @Test(arguments: [0, 50, 200, -3])
  func aFlippedByteInARecipeIsCaught(offset: Int) throws {
    let (directory, store) = try makeStore()
    let stored = try store.ingest(file: try directory.write("a", randomBytes(300_000, seed: 3)))
    let path = store.recipePath(stored.digest)
    let size = Int(try #require(try FileStat.of(path: path)).size)
    try flipByte(at: offset >= 0 ? offset : size + offset, in: path)
    let report = try store.check()
    #expect(report.problems.map(\.item) == [.recipe])
    #expect(report.brokenContent == [stored.digest])
    #expect(throws: StoreError.self) { try store.data(for: stored.digest) }
  }

  @Test func aTruncatedRecipeIsReportedAsTruncated() throws {
    let (directory, store) = try makeStore()
    let stored = try store.ingest(file: try directory.write("a", randomBytes(300_000, seed: 4)))
    let path = store.recipePath(stored.digest)
    chmod(path, 0o644)
    truncate(path, 100)
    let report = try store.check()
    #expect(report.problems.map(\.issue) == [.truncated])
    // Found damaged, the recipe was moved aside: the store now simply lacks it.
    let error = try #require(throws: StoreError.self) { try store.data(for: stored.digest) }
    #expect(error.message.contains("not in the store"), "\(error.message)")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: store.quarantineDirectory).count == 1)
  }

  @Test func aDamagedChunkIsQuarantinedAndHealsWhenTheFileIsAddedAgain() throws {
    let (directory, store) = try makeStore()
    let file = try directory.write("a", randomBytes(500_000, seed: 6))
    let stored = try store.ingest(file: file)
    let chunk = try store.recipe(stored.digest).recipe.chunks[2]
    try flipByte(at: 7, in: store.objectPath(chunk.digest))
    let error = try #require(throws: StoreError.self) { try store.data(for: stored.digest) }
    #expect(error.quarantined == chunk.digest)
    #expect(try FileStat.of(path: store.objectPath(chunk.digest)) == nil)
    let again = try store.ingest(file: file, expected: stored.digest)
    #expect(again.newBytes.value == chunk.size)
    #expect(try store.data(for: stored.digest) == Data(contentsOf: file))
    #expect(try store.check().isClean)
  }

  @Test func aDamagedSmallObjectHealsWhenItsFileIsAddedAgain() throws {
    let (directory, store) = try makeStore()
    let file = try directory.write("small", randomBytes(5_000, seed: 7))
    let stored = try store.ingest(file: file)
    // Same size, one flipped bit, never read since: re-adding compares and replaces it.
    try flipByte(at: 100, in: store.objectPath(stored.digest))
    let again = try store.ingest(file: file)
    #expect(again.newBytes.value == 5_000)
    #expect(try store.check().isClean)
  }

  @Test func aMissingChunkIsReportedAsMissing() throws {
    let (directory, store) = try makeStore()
    let stored = try store.ingest(file: try directory.write("a", randomBytes(300_000, seed: 5)))
    let chunk = try store.recipe(stored.digest).recipe.chunks[0]
    unlink(store.objectPath(chunk.digest))
    let report = try store.check()
    #expect(report.problems.contains { $0.item == .chunk && $0.issue == .missing })
    #expect(report.problems.contains { $0.item == .indexRow && $0.digest == chunk.digest })
    #expect(report.brokenContent.contains(stored.digest))
  }

  @Test func recipeEncodingIsCanonicalJSON() throws {
    let recipe = Recipe(
      digest: Digest.of(Data("x".utf8)), size: 3,
      chunks: [
        .init(digest: Digest.of(Data("a".utf8)), size: 1),
        .init(digest: Digest.of(Data("b".utf8)), size: 2),
      ])
    let bytes = recipe.encoded()
    let value = try JSONDecoder().decode(JSONValue.self, from: bytes)
    #expect(try CanonicalJSON.data(for: value) == bytes)
    #expect(try Recipe.decode(bytes, name: recipe.digest) == recipe)
  }

  @Test func aCorruptedIndexAsksForRepairAndRepairRebuildsIt() throws {
    let (directory, store) = try makeStore()
    let small = try store.ingest(file: try directory.write("s", randomBytes(1_000, seed: 6)))
    let large = try store.ingest(file: try directory.write("l", randomBytes(300_000, seed: 7)))
    let path = store.directory.appendingPathComponent("index.sqlite").path
    for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
    let reopened = try Store.open(at: store.directory)
    let error = try #require(throws: StoreError.self) {
      try reopened.ingest(file: try directory.write("t", "new"))
    }
    #expect(error.category == .integrity)
    #expect(error.message.contains("vouch check --repair-index"))
    #expect(try reopened.check().indexError != nil)
    let repair = try reopened.repairIndex()
    #expect(repair.recipes == 1)
    let chunks = Set(try store.recipe(large.digest).recipe.chunks.map(\.digest))
    #expect(repair.objects == 1 + chunks.count, "\(repair)")
    #expect(try reopened.check().isClean)
    #expect(try reopened.data(for: small.digest).count == 1_000)
    _ = try reopened.ingest(file: try directory.write("t", "new"))
  }

  @Test func anUnknownLayoutVersionIsRefusedWithTheKnownVersion() throws {
    let (directory, store) = try makeStore()
    defer { withExtendedLifetime(directory) {} }
    let config = store.directory.appendingPathComponent("config")
    var text = try String(contentsOf: config, encoding: .utf8)
    text = text.replacingOccurrences(of: "\"layoutVersion\": 1", with: "\"layoutVersion\": 7")
    try text.write(to: config, atomically: true, encoding: .utf8)
    let error = try #require(throws: StoreError.self) { try Store.open(at: store.directory) }
    #expect(error.message.contains("layout version 7"))
    #expect(error.message.contains("only layout version 1"))
  }

  @Test func openingWhereThereIsNoStoreSaysToRunInit() throws {
    let directory = try TemporaryDirectory()
    let error = try #require(throws: StoreError.self) {
      try Store.open(at: directory.path(".vouch"))
    }
    #expect(error.category == .noWorkspace)
    #expect(error.message.contains("vouch init"))
  }

  @Test func reAddingAFileHealsATruncatedChunk() throws {
    let (directory, store) = try makeStore()
    let bytes = randomBytes(300_000, seed: 31)
    let file = try directory.write("a", bytes)
    let stored = try store.ingest(file: file)
    let chunk = try store.recipe(stored.digest).recipe.chunks[2]
    let path = store.objectPath(chunk.digest)
    chmod(path, 0o644)
    truncate(path, 10)
    #expect(try store.check().problems.first?.issue == .truncated)
    let again = try store.ingest(file: file)
    #expect(again.newBytes.value == chunk.size)
    #expect(try store.check().isClean)
    #expect(try store.data(for: stored.digest) == bytes)
  }
}
