import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

/// The states a writer killed at any moment can leave behind, built by hand: each must read as
/// a clean store, and the next run must complete.
@Suite struct CrashLeftoverTests {
  @Test func leftoversOfAKilledWriterAreHarmlessAndCleanedOnOpen() throws {
    let (directory, store) = try makeStore()
    let bytes = randomBytes(300_000, seed: 21)
    let file = try directory.write("a", bytes)
    // Killed after staging: files in tmp/.
    try Data(repeating: 7, count: 1000).write(
      to: URL(fileURLWithPath: store.temporaryDirectory + "/123-1-99"))
    // Killed after publishing some chunks but before the recipe and the index rows.
    let splitter = ChunkSplitter(chunker: store.chunker)
    var published = 0
    try bytes.withUnsafeBytes { buffer in
      try splitter.feed(buffer, final: true) { chunk in
        guard published < 3 else { return }
        let staged = StagedObjects(store: store, flush: .eachFile)
        try staged.stageObject(chunk, digest: StreamingHash.digest(of: chunk))
        try staged.publish()
        published += 1
      }
    }
    let reopened = try Store.open(at: store.directory)
    #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
    let report = try reopened.check()
    #expect(report.isClean)
    #expect(report.unindexedObjects == 3)
    let stored = try reopened.ingest(file: file)
    #expect(stored.digest == Digest.of(bytes))
    #expect(try reopened.data(for: stored.digest) == bytes)
    let after = try reopened.check()
    #expect(after.isClean && after.unindexedObjects == 0)
  }

  @Test func tmpFilesOfARunningWriterAreNotRemoved() throws {
    let (directory, store) = try makeStore()
    defer { withExtendedLifetime(directory) {} }
    let leftover = store.temporaryDirectory + "/in-progress"
    try Data([1]).write(to: URL(fileURLWithPath: leftover))
    try store.withSharedLock {
      _ = try Store.open(at: store.directory)
      #expect(FileManager.default.fileExists(atPath: leftover))
    }
    _ = try Store.open(at: store.directory)
    #expect(!FileManager.default.fileExists(atPath: leftover))
  }

  @Test func aFailingFileInABatchPublishesNothing() throws {
    let (directory, store) = try makeStore()
    let good = try directory.write("good", randomBytes(200_000, seed: 22))
    let error = try #require(throws: StoreError.self) {
      try store.ingest(files: [good, directory.path("missing")])
    }
    #expect(error.category == .usage)
    #expect(try store.listNames(in: "objects").isEmpty)
    #expect(try store.listNames(in: "recipes").isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
  }

  @Test func aSharedLockHolderKeepsGarbageCollectionWaiting() throws {
    let (directory, store) = try makeStore(lockTimeout: 0.2)
    let stored = try store.ingest(file: try directory.write("a", "content"))
    let error = try store.withSharedLock {
      try #require(throws: StoreError.self) {
        try store.garbageCollect(keeping: [], dryRun: false)
      }
    }
    #expect(error.category == .locked)
    #expect(try store.contains(stored.digest))
  }

  @Test func progressReportsEveryByte() throws {
    let (directory, store) = try makeStore()
    let file = try directory.write("a", randomBytes(5_000_000, seed: 23))
    let seen = Counter()
    _ = try store.ingest(file: file) { seen.set($0) }
    #expect(seen.value == 5_000_000)
    let written = Counter()
    try store.materialize(Digest.of(try Data(contentsOf: file)), to: directory.path("b")) {
      written.set($0)
    }
    #expect(written.value == 5_000_000)
  }
}

/// The last value a progress callback reported.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var last: Int64 = 0
  func set(_ value: Int64) {
    lock.lock()
    last = value
    lock.unlock()
  }
  var value: Int64 {
    lock.lock()
    defer { lock.unlock() }
    return last
  }
}
