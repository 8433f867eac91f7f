import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

/// Finding 4.3 at the store level: a push heals the damaged objects it finds on the remote.
@Suite struct RemoteHealingTests {
  /// A sample that re-hashes recipes only: what a push of a large remote does for most objects.
  private let sizesAndRecipesOnly: RemoteVerification = {
    var verification = RemoteVerification.sample(seed: 1)
    verification.budgetBounds = 0...0
    return verification
  }()

  /// A pushed fixture and one of its chunks.
  private func pushed() throws -> (RemoteFixture, Recipe.Chunk) {
    let fixture = try RemoteFixture()
    _ = try fixture.store.push(Set(fixture.digests), to: fixture.remote, verifying: .everything)
    let chunk = try fixture.store.recipe(fixture.digests[1]).recipe.chunks[3]
    return (fixture, chunk)
  }

  /// Fetches everything into a fresh store and expects it intact, and the remote clean.
  private func expectFetchable(_ fixture: RemoteFixture) throws {
    let other = try fixture.emptyStore()
    let fetched = try other.fetch(Set(fixture.digests), from: fixture.remote)
    #expect(fetched.corrupt.isEmpty)
    #expect(try other.data(for: fixture.digests[1]) == fixture.chunked)
    #expect(try other.check().problems.isEmpty)
    #expect(try fixture.remote.check().isClean)
    #expect(try fixture.leftovers().isEmpty)
  }

  @Test func aTruncatedRemoteChunkIsHealedByItsSizeAlone() throws {
    let (fixture, chunk) = try pushed()
    let path = fixture.remote.path(of: .object(chunk.digest))
    chmod(path, 0o644)
    #expect(truncate(path, off_t(chunk.size - 5)) == 0)
    let report = try fixture.store.push(
      Set(fixture.digests), to: fixture.remote, verifying: sizesAndRecipesOnly)
    #expect(report.healed.map(\.object) == [.object(chunk.digest)])
    #expect(
      report.healed.first?.detail == "it was \(chunk.size - 5) bytes instead of \(chunk.size)")
    #expect(report.healed.first?.affects == [fixture.digests[1]])
    #expect(report.healedBytes == ByteCount(chunk.size))
    #expect(report.transferred == 0)
    #expect(report.verified == 1, "only the recipe was re-read")
    let status = try #require(try Sys.status(atPath: path))
    #expect(status.permissions == 0o444)
    try expectFetchable(fixture)
  }

  @Test func aFlippedByteOutsideTheSampleWaitsForVerifyRemote() throws {
    let (fixture, chunk) = try pushed()
    try flipByte(at: 9, in: fixture.remote.path(of: .object(chunk.digest)))
    let sampled = try fixture.store.push(
      Set(fixture.digests), to: fixture.remote, verifying: sizesAndRecipesOnly)
    #expect(sampled.healed.isEmpty)
    #expect(try !fixture.remote.check().isClean)
    let full = try fixture.store.push(
      Set(fixture.digests), to: fixture.remote, verifying: .everything)
    #expect(full.healed.map(\.object) == [.object(chunk.digest)])
    #expect(full.healed.first?.detail.hasPrefix("its bytes hash to ") == true)
    #expect(full.verified == full.present)
    #expect(full.present == sampled.present - 1)
    try expectFetchable(fixture)
  }

  @Test func aSmallRemoteIsReHashedInFullByEveryPush() throws {
    let (fixture, chunk) = try pushed()
    try flipByte(at: 9, in: fixture.remote.path(of: .object(chunk.digest)))
    try flipByte(at: 5, in: fixture.remote.path(of: .object(fixture.digests[0])))
    let report = try fixture.store.push(
      Set(fixture.digests), to: fixture.remote, verifying: .sample(seed: 99))
    #expect(
      Set(report.healed.map(\.object)) == [.object(chunk.digest), .object(fixture.digests[0])])
    try expectFetchable(fixture)
  }

  @Test func aCorruptRemoteRecipeIsHealedByEveryPush() throws {
    let (fixture, _) = try pushed()
    try flipByte(at: 40, in: fixture.remote.path(of: .recipe(fixture.digests[1])))
    let report = try fixture.store.push(
      Set(fixture.digests), to: fixture.remote, verifying: sizesAndRecipesOnly)
    #expect(report.healed.map(\.object) == [.recipe(fixture.digests[1])])
    #expect(report.healed.first?.detail.contains("fail their checksum") == true)
    try expectFetchable(fixture)
  }

  /// Finding 4.4's forged recipe: two chunks swapped and the checksum recomputed, so it decodes
  /// and every chunk it names is intact; only rebuilding the file shows the lie.
  @Test func aForgedRemoteRecipeIsHealedByVerifyRemote() throws {
    let (fixture, _) = try pushed()
    let named = fixture.digests[1]
    var forged = try fixture.store.recipe(named).recipe
    forged.chunks.swapAt(0, 1)
    let path = fixture.remote.path(of: .recipe(named))
    chmod(path, 0o644)
    try forged.encoded().write(to: URL(fileURLWithPath: path))
    let sampled = try fixture.store.push([named], to: fixture.remote, verifying: .sample(seed: 3))
    #expect(sampled.healed.isEmpty, "a recipe that decodes and names present chunks passes")
    let full = try fixture.store.push([named], to: fixture.remote, verifying: .everything)
    #expect(full.healed.map(\.object) == [.recipe(named)])
    #expect(full.healed.first?.detail.hasPrefix("it rebuilds other bytes") == true)
    try expectFetchable(fixture)
  }

  @Test func aDamagedLocalCopyNeverReplacesARemoteOne() throws {
    let (fixture, chunk) = try pushed()
    try flipByte(at: 9, in: fixture.remote.path(of: .object(chunk.digest)))
    try flipByte(at: 9, in: fixture.store.objectPath(chunk.digest))
    let damaged = try Data(
      contentsOf: URL(fileURLWithPath: fixture.remote.path(of: .object(chunk.digest))))
    let report = try fixture.store.push(
      Set(fixture.digests), to: fixture.remote, verifying: .everything)
    #expect(report.healed.isEmpty)
    #expect(report.corrupt.map(\.object) == [.object(chunk.digest)])
    let after = try Data(
      contentsOf: URL(fileURLWithPath: fixture.remote.path(of: .object(chunk.digest))))
    #expect(after == damaged)
  }

  @Test func theSampleRuleIsSeededAndBounded() throws {
    let chunkSize: Int64 = 128 << 10
    var present: [(object: RemoteObject, size: Int64)] = (0..<2_048).map {
      (.object(Digest.of(Data("chunk \($0)".utf8))), chunkSize)
    }
    present.append((.recipe(Digest.of(Data("file".utf8))), 700_000))
    let onRemote = present.reduce(Int64(0)) { $0 + $1.size }
    let first = RemoteVerification.sample(seed: 1).select(present)
    let again = RemoteVerification.sample(seed: 1).select(present)
    let other = RemoteVerification.sample(seed: 2).select(present)
    #expect(first == again)
    #expect(first != other)
    #expect(first.contains(present[present.count - 1].object), "every recipe is re-read")
    let sampledBytes = Int64(first.filter { $0.kind == .object }.count) * chunkSize
    #expect(sampledBytes <= onRemote / 16)
    #expect(sampledBytes > onRemote / 16 - chunkSize)
    #expect(RemoteVerification.everything.select(present).count == present.count)
    // Tiny remotes are re-hashed whole; huge ones at most 64 MiB.
    #expect(RemoteVerification.sample(seed: 1).select(Array(present.prefix(20))).count == 20)
    let huge: [(object: RemoteObject, size: Int64)] = (0..<200).map {
      (.object(Digest.of(Data("big \($0)".utf8))), 16 << 20)
    }
    #expect(RemoteVerification.sample(seed: 5).select(huge).count == 4)
  }
}
