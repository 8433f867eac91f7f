import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

/// `Remote.check`, `Remote.garbageCollect` and the remote's lock (findings 4.6 and bug 12).
@Suite struct RemoteMaintenanceTests {
  /// A fixture pushed in full.
  private func pushed() throws -> RemoteFixture {
    let fixture = try RemoteFixture()
    _ = try fixture.store.push(Set(fixture.digests), to: fixture.remote)
    return fixture
  }

  @Test func checkOfAnIntactRemoteIsClean() throws {
    let fixture = try pushed()
    let report = try fixture.remote.check()
    #expect(report.isClean)
    #expect(report.recipesChecked == 1)
    #expect(report.objectsChecked == (try fixture.remoteFiles().count) - 1)
    let onRemote = try fixture.remote.list().values.reduce(0, +)
    #expect(report.bytesChecked == ByteCount(onRemote))
  }

  @Test func checkNamesEachDamagedItemAndWhatItBreaks() throws {
    let fixture = try pushed()
    let recipe = try fixture.store.recipe(fixture.digests[1]).recipe
    let (flipped, truncated, missing) = (recipe.chunks[1], recipe.chunks[2], recipe.chunks[4])
    try flipByte(at: 3, in: fixture.remote.path(of: .object(flipped.digest)))
    let shortPath = fixture.remote.path(of: .object(truncated.digest))
    chmod(shortPath, 0o644)
    #expect(truncate(shortPath, 10) == 0)
    try fixture.remote.delete(.object(missing.digest))
    try flipByte(at: 2, in: fixture.remote.path(of: .object(fixture.digests[0])))
    let report = try fixture.remote.check()
    let found = Dictionary(
      uniqueKeysWithValues: report.problems.map { ($0.digest, ($0.item, $0.issue, $0.affects)) })
    #expect(found[flipped.digest]?.0 == .chunk)
    #expect(found[flipped.digest]?.1 == .corrupt)
    #expect(found[flipped.digest]?.2 == [fixture.digests[1]])
    #expect(found[truncated.digest]?.1 == .truncated)
    #expect(found[missing.digest]?.1 == .missing)
    #expect(found[fixture.digests[0]]?.0 == .object)
    #expect(found[fixture.digests[0]]?.2 == [fixture.digests[0]])
    #expect(report.problems.count == 4)
    #expect(report.brokenContent == [fixture.digests[0], fixture.digests[1]].sorted())
  }

  @Test func checkFindsAForgedAndACorruptRecipe() throws {
    let fixture = try pushed()
    let named = fixture.digests[1]
    var forged = try fixture.store.recipe(named).recipe
    forged.chunks.swapAt(0, 1)
    let path = fixture.remote.path(of: .recipe(named))
    chmod(path, 0o644)
    try forged.encoded().write(to: URL(fileURLWithPath: path))
    let report = try fixture.remote.check()
    #expect(report.problems.map(\.item) == [.recipe])
    #expect(report.problems.first?.detail.contains("rebuilds other bytes") == true)
    try flipByte(at: 30, in: path)
    let corrupt = try fixture.remote.check()
    #expect(corrupt.problems.map(\.issue) == [.corrupt])
    #expect(corrupt.problems.first?.detail.contains("checksum") == true)
  }

  @Test func gcRemovesTheLeftoversOfKilledPushes() throws {
    let fixture = try pushed()
    try fixture.directory.write("remote/tmp/77-1-1", randomBytes(3_000, seed: 1))
    try fixture.directory.write("remote/tmp/77-2-1", randomBytes(1_000, seed: 2))
    let dry = try fixture.remote.garbageCollect(keeping: nil, dryRun: true)
    #expect(dry.leftovers.files == 2)
    #expect(dry.leftovers.bytes == 4_000)
    #expect(try fixture.leftovers().count == 2)
    let done = try fixture.remote.garbageCollect(keeping: nil, dryRun: false)
    #expect(done.leftovers.files == 2)
    #expect(!done.unreferenced && done.deleted.isEmpty)
    #expect(try fixture.leftovers().isEmpty)
    #expect(try fixture.remote.check().isClean)
  }

  @Test func gcWaitsForALivePushAndTimesOut() throws {
    let fixture = try pushed()
    let impatient = try FilesystemRemote.open(
      at: fixture.directory.path("remote"), lockTimeout: 0.2)
    try fixture.directory.write("remote/tmp/77-1-1", Data("in flight".utf8))
    let error = try fixture.remote.withAccess(.shared, for: "push") {
      try #require(throws: StoreError.self) {
        try impatient.garbageCollect(keeping: nil, dryRun: false)
      }
    }
    #expect(error.category == .locked)
    #expect(error.message.contains("VOUCH_LOCK_TIMEOUT"))
    #expect(try fixture.leftovers() == ["77-1-1"], "a live push's file stays")
    // And a push waits for a running gc the same way.
    let blocked = try fixture.remote.withAccess(.exclusive, for: "gc") {
      try #require(throws: StoreError.self) {
        try fixture.store.push(Set(fixture.digests), to: impatient)
      }
    }
    #expect(blocked.category == .locked)
    #expect(blocked.message.contains("remote gc"))
  }

  @Test func gcOfUnreferencedObjectsKeepsWhatTheKeepSetNeeds() throws {
    let fixture = try pushed()
    let before = try fixture.remoteFiles()
    let keep: Set<Digest> = [fixture.digests[1]]
    let dry = try fixture.remote.garbageCollect(keeping: keep, dryRun: true)
    #expect(Set(dry.deleted.map(\.digest)) == [fixture.digests[0], fixture.digests[2]])
    #expect(dry.deletedBytes == ByteCount(Int64(fixture.whole.count + 18)))
    #expect(try fixture.remoteFiles() == before, "a dry run deletes nothing")
    let done = try fixture.remote.garbageCollect(keeping: keep, dryRun: false)
    #expect(done.deleted == dry.deleted)
    #expect(done.keptRecipes == 1)
    #expect(try fixture.remoteFiles().count == before.count - 2)
    let other = try fixture.emptyStore()
    _ = try other.fetch(keep, from: fixture.remote)
    #expect(try other.data(for: fixture.digests[1]) == fixture.chunked)
    #expect(try fixture.remote.check().isClean)
  }

  @Test func gcStopsWhenAKeptRecipeIsDamaged() throws {
    let fixture = try pushed()
    let before = try fixture.remoteFiles()
    try flipByte(at: 40, in: fixture.remote.path(of: .recipe(fixture.digests[1])))
    let error = try #require(throws: StoreError.self) {
      try fixture.remote.garbageCollect(keeping: [fixture.digests[1]], dryRun: false)
    }
    #expect(error.category == .integrity)
    #expect(error.message.contains("stopped without deleting anything"))
    #expect(try fixture.remoteFiles() == before)
  }
}
