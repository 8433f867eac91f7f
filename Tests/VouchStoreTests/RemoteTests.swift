import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

@Suite struct RemoteTests {
  @Test func pushThenFetchIsByteIdentical() throws {
    let fixture = try RemoteFixture()
    let pushed = try fixture.store.push(Set(fixture.digests), to: fixture.remote)
    #expect(pushed.missing.isEmpty && pushed.corrupt.isEmpty)
    #expect(pushed.present == 0)
    let chunks = try fixture.store.recipe(fixture.digests[1]).recipe.chunks
    #expect(pushed.transferred == 2 + Set(chunks.map(\.digest)).count + 1)
    #expect(try fixture.remoteFiles().count == pushed.transferred)

    let other = try fixture.emptyStore()
    let fetched = try other.fetch(Set(fixture.digests), from: fixture.remote)
    #expect(fetched.transferred == pushed.transferred)
    #expect(fetched.bytes == pushed.bytes)
    #expect(try other.data(for: fixture.digests[0]) == fixture.whole)
    #expect(try other.data(for: fixture.digests[1]) == fixture.chunked)
    #expect(try other.data(for: fixture.digests[2]) == Data(#"{"note":"listing"}"#.utf8))
    let check = try other.check()
    #expect(check.problems.isEmpty)
    #expect(check.unindexedObjects == 0)
  }

  @Test func aSecondPushAndASecondFetchMoveNothing() throws {
    let fixture = try RemoteFixture()
    let first = try fixture.store.push(Set(fixture.digests), to: fixture.remote)
    let second = try fixture.store.push(Set(fixture.digests), to: fixture.remote)
    #expect(first.transferred > 0)
    #expect(second.transferred == 0)
    #expect(second.bytes == 0)
    #expect(second.present == first.transferred)
    let other = try fixture.emptyStore()
    _ = try other.fetch(Set(fixture.digests), from: fixture.remote)
    let again = try other.fetch(Set(fixture.digests), from: fixture.remote)
    #expect(again.transferred == 0)
    #expect(again.present == fixture.digests.count)
  }

  @Test func aCorruptRemoteChunkIsCaughtAndNothingCorruptEntersTheStore() throws {
    let fixture = try RemoteFixture()
    _ = try fixture.store.push(Set(fixture.digests), to: fixture.remote)
    let chunk = try fixture.store.recipe(fixture.digests[1]).recipe.chunks[2]
    try flipByte(at: 7, in: fixture.remote.path(of: .object(chunk.digest)))
    let other = try fixture.emptyStore()
    let report = try other.fetch(Set(fixture.digests), from: fixture.remote)
    #expect(report.corrupt.map(\.object) == [.object(chunk.digest)])
    #expect(report.corrupt.first?.affects == [fixture.digests[1]])
    #expect(report.corrupt.first?.detail.contains("on the remote") == true)
    #expect(try !other.contains(fixture.digests[1]))
    #expect(try Sys.status(atPath: other.objectPath(chunk.digest)) == nil)
    #expect(try other.data(for: fixture.digests[0]) == fixture.whole)
    #expect(try other.check().problems.isEmpty)
  }

  @Test func aCorruptRemoteRecipeIsCaught() throws {
    let fixture = try RemoteFixture()
    _ = try fixture.store.push(Set(fixture.digests), to: fixture.remote)
    try flipByte(at: 40, in: fixture.remote.path(of: .recipe(fixture.digests[1])))
    let other = try fixture.emptyStore()
    let report = try other.fetch([fixture.digests[1]], from: fixture.remote)
    #expect(report.corrupt.map(\.object) == [.recipe(fixture.digests[1])])
    #expect(report.transferred == 0)
    #expect(try !other.contains(fixture.digests[1]))
  }

  /// A well-formed recipe whose chunks are another file's: every object on the remote hashes to
  /// its name, but the recipe lies about what its content is. Fetch must not publish it.
  @Test func aRecipeThatReassemblesToOtherBytesIsRejected() throws {
    let fixture = try RemoteFixture()
    let other = randomBytes(300_000, seed: 13)
    let decoy = try fixture.store.ingest(file: try fixture.directory.write("d.bin", other))
    _ = try fixture.store.push(Set(fixture.digests + [decoy.digest]), to: fixture.remote)
    let named = fixture.digests[1]
    let decoyChunks = try fixture.store.recipe(decoy.digest).recipe.chunks
    let forged = Recipe(digest: named, size: Int64(other.count), chunks: decoyChunks)
    let path = fixture.remote.path(of: .recipe(named))
    chmod(path, 0o644)
    try forged.encoded().write(to: URL(fileURLWithPath: path))

    let fresh = try fixture.emptyStore()
    let report = try fresh.fetch([named], from: fixture.remote)
    #expect(report.corrupt.map(\.object) == [.recipe(named)])
    #expect(report.corrupt.first?.detail.contains("does not reassemble") == true)
    #expect(try !fresh.contains(named))
    #expect(try fresh.check().problems.isEmpty)
    // The decoy itself still fetches and reads back intact.
    _ = try fresh.fetch([decoy.digest], from: fixture.remote)
    #expect(try fresh.data(for: decoy.digest) == other)
  }

  @Test func aDamagedLocalChunkIsNotPushedNorIsItsRecipe() throws {
    let fixture = try RemoteFixture()
    let chunk = try fixture.store.recipe(fixture.digests[1]).recipe.chunks[1]
    try flipByte(at: 3, in: fixture.store.objectPath(chunk.digest))
    let report = try fixture.store.push(Set(fixture.digests), to: fixture.remote)
    #expect(report.corrupt.map(\.object) == [.object(chunk.digest)])
    #expect(try fixture.remote.size(of: .object(chunk.digest)) == nil)
    #expect(try fixture.remote.size(of: .recipe(fixture.digests[1])) == nil)
    #expect(try fixture.remote.size(of: .object(fixture.digests[0])) != nil)
  }

  @Test func contentMissingAtTheSourceIsReported() throws {
    let fixture = try RemoteFixture()
    let absent = Digest.of(Data("nowhere".utf8))
    let pushed = try fixture.store.push([absent, fixture.digests[0]], to: fixture.remote)
    #expect(pushed.missing == [absent])
    #expect(pushed.transferred == 1)
    let fetched = try fixture.emptyStore().fetch([absent], from: fixture.remote)
    #expect(fetched.missing == [absent])
  }

  @Test func aRejectedWriteLeavesNothingOnTheRemote() throws {
    let fixture = try RemoteFixture()
    let bytes = randomBytes(5_000, seed: 13)
    let wrongName = Digest.of(Data("something else".utf8))
    let error = try #require(throws: StoreError.self) {
      try fixture.remote.write(bytes, as: .object(wrongName))
    }
    #expect(error.category == .integrity)
    let error2 = try #require(throws: StoreError.self) {
      try fixture.remote.write(Data("{}".utf8), as: .recipe(wrongName))
    }
    #expect(error2.category == .integrity)
    #expect(try fixture.remoteFiles().isEmpty)
    let leftovers = try FileManager.default.contentsOfDirectory(
      atPath: fixture.directory.path("remote/tmp").path)
    #expect(leftovers.isEmpty)
  }

  @Test func openingRemovesEveryLeftoverWhenNoPushIsLive() throws {
    let fixture = try RemoteFixture()
    let old = try fixture.directory.write("remote/tmp/123-1-9", Data("partial".utf8))
    let fresh = try fixture.directory.write("remote/tmp/123-2-9", Data("killed".utf8))
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -2 * 86_400)], ofItemAtPath: old.path)
    _ = try FilesystemRemote.open(at: fixture.directory.path("remote"))
    #expect(try fixture.leftovers().isEmpty)
    #expect(!FileManager.default.fileExists(atPath: fresh.path))
  }

  @Test func openingWhileAPushIsLiveRemovesOnlyDayOldLeftovers() throws {
    let fixture = try RemoteFixture()
    let old = try fixture.directory.write("remote/tmp/123-1-9", Data("partial".utf8))
    let fresh = try fixture.directory.write("remote/tmp/123-2-9", Data("in flight".utf8))
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -2 * 86_400)], ofItemAtPath: old.path)
    try fixture.remote.withAccess(.shared, for: "push") {
      _ = try FilesystemRemote.open(at: fixture.directory.path("remote"))
    }
    #expect(!FileManager.default.fileExists(atPath: old.path))
    #expect(FileManager.default.fileExists(atPath: fresh.path))
  }

  @Test func openingForGarbageCollectionKeepsLeftoversToCount() throws {
    let fixture = try RemoteFixture()
    try fixture.directory.write("remote/tmp/123-2-9", Data("killed".utf8))
    _ = try FilesystemRemote.open(at: fixture.directory.path("remote"), removingLeftovers: false)
    #expect(try fixture.leftovers() == ["123-2-9"])
  }

  /// What every `Remote` must do (run against each implementation).
  @Test func filesystemRemoteConformance() throws {
    let fixture = try RemoteFixture()
    try RemoteConformance.check(fixture.remote)
  }

  @Test func openingRejectsMissingForeignAndFutureDirectories() throws {
    let directory = try TemporaryDirectory(prefix: "remote")
    let missing = try #require(throws: StoreError.self) {
      try FilesystemRemote.open(at: directory.path("nope"))
    }
    #expect(missing.category == .usage)
    #expect(missing.message.contains("does not exist"))
    try directory.write("foreign/file.txt", "hello")
    let foreign = try #require(throws: StoreError.self) {
      try FilesystemRemote.open(at: directory.path("foreign"))
    }
    #expect(foreign.message.contains("is not a vouch remote"))
    #expect(throws: StoreError.self) { try FilesystemRemote.create(at: directory.path("foreign")) }
    _ = try FilesystemRemote.create(at: directory.path("new"))
    _ = try FilesystemRemote.create(at: directory.path("new"))
    try directory.write("new/vouch-remote.json", #"{"kind":"vouch.remote","layoutVersion":9}"#)
    let future = try #require(throws: StoreError.self) {
      try FilesystemRemote.open(at: directory.path("new"))
    }
    #expect(future.category == .failure)
    #expect(future.message.contains("layout version 9"))
  }
}

/// The behaviour every `Remote` promises, checked on an empty remote.
enum RemoteConformance {
  static func check(_ remote: any Remote) throws {
    let bytes = randomBytes(3_000, seed: 21)
    let name = RemoteObject.object(Digest.of(bytes))
    #expect(try remote.size(of: name) == nil)
    let absent = try #require(throws: StoreError.self) { try remote.read(name) }
    #expect(absent.category == .integrity)
    #expect(try remote.write(bytes, as: name))
    #expect(try remote.size(of: name) == Int64(bytes.count))
    #expect(try remote.read(name) == bytes)
    // An existing object is never replaced.
    #expect(try !remote.write(bytes, as: name))
    #expect(try remote.read(name) == bytes)
    // Batches: each object as alone; a misnamed object rejects the whole batch up front.
    let more = randomBytes(2_000, seed: 22)
    let moreName = RemoteObject.object(Digest.of(more))
    let wrong = RemoteObject.object(Digest.of(Data("not these bytes".utf8)))
    let rejected = try #require(throws: StoreError.self) {
      try remote.write(batch: [(moreName, more), (wrong, more)])
    }
    #expect(rejected.category == .integrity)
    #expect(try remote.size(of: moreName) == nil)
    #expect(try remote.write(batch: [(moreName, more), (name, bytes)]) == [true, false])
    #expect(try remote.read(moreName) == more)
    // Listing names every object with its size.
    #expect(try remote.list() == [name: Int64(bytes.count), moreName: Int64(more.count)])
    // Replacing: misnamed bytes are refused and change nothing; good bytes replace the file.
    let refused = try #require(throws: StoreError.self) { try remote.replace(more, as: name) }
    #expect(refused.category == .integrity)
    #expect(try remote.read(name) == bytes)
    try remote.replace(bytes, as: name)
    #expect(try remote.read(name) == bytes)
    // Deleting: gone from the listing; deleting again is fine.
    try remote.delete(moreName)
    try remote.delete(moreName)
    #expect(try remote.size(of: moreName) == nil)
    #expect(try remote.list() == [name: Int64(bytes.count)])
    // Replacing a missing object writes it.
    try remote.replace(more, as: moreName)
    #expect(try remote.read(moreName) == more)
    // Access can be taken shared twice, and nothing was left behind by all of the above.
    try remote.withAccess(.shared, for: "a") { try remote.withAccess(.shared, for: "b") {} }
    #expect(
      try remote.withAccess(.exclusive, for: "gc") { try remote.removeLeftovers(dryRun: true) }
        .files == 0)
  }
}
