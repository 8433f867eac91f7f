import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

@Suite struct MaintenanceTests {
  @Test func gcKeepsWhatIsNamedAndTheChunksOfKeptRecipes() throws {
    let (directory, store) = try makeStore()
    let keepSmall = try store.ingest(file: try directory.write("a", randomBytes(5_000, seed: 1)))
    let dropSmall = try store.ingest(file: try directory.write("b", randomBytes(6_000, seed: 2)))
    let keepLarge = try store.ingest(file: try directory.write("c", randomBytes(300_000, seed: 3)))
    let dropLarge = try store.ingest(file: try directory.write("d", randomBytes(200_000, seed: 4)))
    let keep: Set<Digest> = [keepSmall.digest, keepLarge.digest]

    let dry = try store.garbageCollect(keeping: keep, dryRun: true)
    #expect(dry.dryRun)
    #expect(dry.deleted.contains { $0.digest == dropSmall.digest && $0.size.value == 6_000 })
    #expect(dry.deleted.contains { $0.digest == dropLarge.digest && $0.kind == .recipe })
    #expect(try store.contains(dropSmall.digest) && store.contains(dropLarge.digest))

    let real = try store.garbageCollect(keeping: keep, dryRun: false)
    #expect(real.deleted == dry.deleted)
    #expect(real.deletedBytes.value >= 206_000)
    #expect(try !store.contains(dropSmall.digest) && !store.contains(dropLarge.digest))
    #expect(try store.data(for: keepSmall.digest).count == 5_000)
    #expect(try store.data(for: keepLarge.digest).count == 300_000)
    let report = try store.check()
    #expect(report.isClean)
    #expect(report.unindexedObjects == 0)
    #expect(try store.garbageCollect(keeping: keep, dryRun: false).deleted.isEmpty)
  }

  @Test func gcWithAnAbsentKeptDigestReportsIt() throws {
    let (directory, store) = try makeStore()
    defer { withExtendedLifetime(directory) {} }
    let ghost = Digest.of(Data("not stored".utf8))
    #expect(try store.garbageCollect(keeping: [ghost], dryRun: true).absent == [ghost])
  }

  @Test func aLockTimeoutNamesTheHoldersPid() throws {
    let (directory, store) = try makeStore(lockTimeout: 0.3)
    let waiting = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let holder = Thread {
      // A second open file description: an independent holder, as another process would be.
      try? store.lock.withLock(.exclusive, for: "test") {
        waiting.signal()
        release.wait()
      }
    }
    holder.start()
    waiting.wait()
    let file = try directory.write("a", "x")
    let error = try #require(throws: StoreError.self) { try store.ingest(file: file) }
    release.signal()
    #expect(error.category == .locked)
    #expect(error.message.contains("locked by process \(getpid())"))
    #expect(error.message.contains("VOUCH_LOCK_TIMEOUT"))
    // Once released, the lock is free again (waits succeed).
    #expect(throws: Never.self) { try store.ingest(file: file) }
  }

  @Test func aWaiterGetsTheLockWhenTheHolderFinishes() throws {
    let (directory, store) = try makeStore(lockTimeout: 10)
    let waiting = DispatchSemaphore(value: 0)
    let holder = Thread {
      try? store.lock.withLock(.exclusive, for: "test") {
        waiting.signal()
        usleep(300_000)
      }
    }
    holder.start()
    waiting.wait()
    let start = Date()
    _ = try store.ingest(file: try directory.write("a", "x"))
    #expect(Date().timeIntervalSince(start) > 0.1)
  }

  @Test func concurrentIngestsEndConsistent() throws {
    let (directory, store) = try makeStore()
    let same = try directory.write("same", randomBytes(400_000, seed: 9))
    var files = [same, same, same]
    for index in 0..<4 {
      files.append(
        try directory.write("f\(index)", randomBytes(150_000 + index * 1000, seed: UInt64(index))))
    }
    let errors = ErrorBox()
    let inputs = files
    DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
      do {
        // Separate Store values, as separate processes would have.
        let mine = try Store.open(at: store.directory)
        _ = try mine.ingest(file: inputs[index])
      } catch { errors.append(error) }
    }
    #expect(errors.all.isEmpty)
    let report = try store.check()
    #expect(report.isClean)
    #expect(report.unindexedObjects == 0)
    let objectFiles = try store.listNames(in: "objects")
    let indexed = try store.index.get().read {
      try Int.fetchOne($0, sql: "SELECT count(*) FROM object")
    }
    #expect(indexed == objectFiles.count)
    #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
  }

  @Test func aFileThatChangesWhileBeingAddedIsRefused() throws {
    let (directory, store) = try makeStore()
    let file = try directory.write("growing", randomBytes(3 << 20, seed: 10))
    let started = DispatchSemaphore(value: 0)
    let stop = Counter()
    let writer = Thread {
      let handle = try? FileHandle(forWritingTo: file)
      started.signal()
      // Append until told to stop, so every add overlaps a write.
      while stop.value == 0 {
        try? handle?.seekToEnd()
        handle?.write(Data(repeating: 1, count: 512))
        usleep(200)
      }
      try? handle?.close()
    }
    writer.start()
    started.wait()
    var successes = 0
    let error = try #require(throws: StoreError.self) {
      for _ in 0..<50 {
        _ = try store.ingest(file: file)
        successes += 1
      }
    }
    stop.set(1)
    #expect(error.message.contains("changed while it was being added"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
    // Nothing of the failed add is visible: only earlier, complete adds left recipes.
    #expect(try store.listNames(in: "recipes").count == successes)
    #expect(try store.check().isClean)
  }
}

/// Collects errors from concurrent work.
final class ErrorBox: @unchecked Sendable {
  private let lock = NSLock()
  private var errors: [Error] = []
  func append(_ error: Error) {
    lock.lock()
    errors.append(error)
    lock.unlock()
  }
  var all: [Error] {
    lock.lock()
    defer { lock.unlock() }
    return errors
  }
}
