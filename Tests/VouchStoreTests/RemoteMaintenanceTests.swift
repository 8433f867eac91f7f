import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

/// `Remote.check`: the remote's own re-hash of everything it holds.
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
}
