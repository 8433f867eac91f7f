import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

@Suite struct RoundTripTests {
  @Test(arguments: [0, 1, 4096, 64 << 10, (64 << 10) + 1, 700_001, 3 << 20])
  func ingestThenMaterializeGivesTheSameBytes(size: Int) throws {
    let (directory, store) = try makeStore()
    let bytes = randomBytes(size, seed: UInt64(size))
    let file = try directory.write("in/file.bin", bytes)
    let stored = try store.ingest(file: file)
    #expect(stored.digest == Digest.of(bytes))
    #expect(stored.size.value == Int64(size))
    #expect(stored.chunkCount == (size > testChunking.threshold ? stored.chunkCount : 1))
    if size > testChunking.threshold { #expect(stored.chunkCount > 1) }
    #expect(try store.contains(stored.digest))
    for mode in [MaterializeMode.copy, .auto] {
      let out = directory.path("out/\(mode).bin")
      try store.materialize(stored.digest, to: out, mode: mode)
      #expect(try Data(contentsOf: out) == bytes)
    }
    #expect(try store.data(for: stored.digest) == bytes)
    let info = try #require(try store.info(stored.digest))
    #expect(info.size.value == Int64(size))
    #expect(info.layout == (size > testChunking.threshold ? .chunked : .whole))
    #expect(try store.check().isClean)
  }

  @Test func secondIngestStoresNothingNew() throws {
    let (directory, store) = try makeStore()
    let file = try directory.write("a.bin", randomBytes(1 << 20, seed: 7))
    let first = try store.ingest(file: file)
    #expect(first.newBytes.value >= 1 << 20)
    let second = try store.ingest(file: file)
    #expect(second.digest == first.digest)
    #expect(second.newBytes.value == 0)
  }

  @Test func ingestDataStoresADocument() throws {
    let (directory, store) = try makeStore()
    defer { withExtendedLifetime(directory) {} }
    let document = Data("{\"files\":[]}".utf8)
    let stored = try store.ingest(data: document)
    #expect(try store.data(for: stored.digest) == document)
  }

  @Test func batchIngestMatchesSingleIngest() throws {
    let (directory, store) = try makeStore()
    var files = [URL]()
    for index in 0..<20 {
      files.append(try directory.write("f\(index)", randomBytes(index * 997, seed: UInt64(index))))
    }
    files.append(try directory.write("big", randomBytes(300_000, seed: 99)))
    let results = try store.ingest(files: files)
    for (file, result) in zip(files, results) {
      #expect(result.digest == Digest.of(try Data(contentsOf: file)))
      #expect(try store.data(for: result.digest) == (try Data(contentsOf: file)))
    }
    #expect(try store.check().isClean)
  }

  @Test func hardlinkIsReadOnlyAndChunkedContentRefusesIt() throws {
    let (directory, store) = try makeStore()
    let small = try store.ingest(file: try directory.write("s", randomBytes(1000, seed: 1)))
    let out = directory.path("w/s")
    #expect(try store.materialize(small.digest, to: out, mode: .hardlink) == .hardlink)
    #expect(
      try FileStat.of(path: out.path)?.inode
        == (try FileStat.of(path: store.objectPath(small.digest))?.inode))
    let auto = directory.path("w/auto")
    #expect(try store.materialize(small.digest, to: auto, mode: .auto) != .hardlink)
    #expect(
      try FileStat.of(path: auto.path)?.inode
        != (try FileStat.of(path: store.objectPath(small.digest))?.inode))
    let large = try store.ingest(file: try directory.write("l", randomBytes(200_000, seed: 2)))
    #expect(throws: StoreError.self) {
      try store.materialize(large.digest, to: directory.path("w/l"), mode: .hardlink)
    }
    #expect(!FileManager.default.fileExists(atPath: directory.path("w/l").path))
  }

  @Test func statCacheRemembersDigests() throws {
    let (directory, store) = try makeStore()
    let file = try directory.write("x", "hello")
    let stored = try store.ingest(file: file)
    let stat = try #require(stored.stat)
    #expect(try store.cachedDigest(forPath: "x", stat: stat) == nil)
    try store.recordStat(path: "x", stat: stat, digest: stored.digest)
    #expect(try store.cachedDigest(forPath: "x", stat: stat) == stored.digest)
    var changed = stat
    changed.mtimeNanoseconds += 1
    #expect(try store.cachedDigest(forPath: "x", stat: changed) == nil)
    #expect(try store.statCacheEntries()["x"]?.digest == stored.digest)
  }

  @Test func nonRegularFilesAreRefusedWithoutBlocking() throws {
    let (directory, store) = try makeStore()
    let fifo = directory.path("pipe")
    #expect(mkfifo(fifo.path, 0o644) == 0)
    let error = try #require(throws: StoreError.self) { try store.ingest(file: fifo) }
    #expect(error.category == .usage)
    #expect(error.message.contains("not a regular file"))
    let missing = try #require(throws: StoreError.self) {
      try store.ingest(file: directory.path("nope"))
    }
    #expect(missing.message.contains("does not exist"))
  }
}
