import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

/// Checking a file against a stored recipe (`RecipeMatch`, `Store.fileMatches`) and the re-add
/// that starts with it (`ingest(file:expected:)`).
@Suite struct FileMatchTests {
  /// A stored 3 MiB file (about 380 test-sized chunks) and its digest.
  private func storedFile() throws -> (TemporaryDirectory, Store, URL, Data, Digest) {
    let (directory, store) = try makeStore()
    let bytes = randomBytes(3 << 20, seed: 41)
    let file = try directory.write("work/file.bin", bytes)
    let stored = try store.ingest(file: file)
    return (directory, store, file, bytes, stored.digest)
  }

  @Test func aFileWithTheStoredBytesMatches() throws {
    let (directory, store, file, _, digest) = try storedFile()
    defer { withExtendedLifetime(directory) {} }
    #expect(try store.fileMatches(path: file.path, digest: digest) == true)
  }

  @Test(arguments: [0, 1_000_000, (3 << 20) / 2, (3 << 20) - 1])
  func oneChangedByteAnywhereIsADifference(offset: Int) throws {
    let (directory, store, file, bytes, digest) = try storedFile()
    defer { withExtendedLifetime(directory) {} }
    var edited = bytes
    edited[offset] ^= 0x40
    try edited.write(to: file)
    #expect(try store.fileMatches(path: file.path, digest: digest) == false)
  }

  @Test func smallBatchesAndChunksLargerThanABatchGiveTheSameAnswers() throws {
    let (directory, store, file, bytes, digest) = try storedFile()
    defer { withExtendedLifetime(directory) {} }
    let recipe = try #require(store.storedRecipe(digest))
    let fd = open(file.path, O_RDONLY)
    defer { close(fd) }
    for batch in [1, 5_000, 20 << 10, 1 << 20] {
      let match = RecipeMatch(fd: fd, path: file.path, recipe: recipe, batchSize: batch)
      #expect(try match.matches())
    }
    var edited = bytes
    edited[2_900_000] ^= 1
    try edited.write(to: file)
    let reopened = open(file.path, O_RDONLY)
    defer { close(reopened) }
    for batch in [1, 20 << 10] {
      let match = RecipeMatch(fd: reopened, path: file.path, recipe: recipe, batchSize: batch)
      #expect(try !match.matches())
    }
  }

  @Test func aDifferentSizeIsADifference() throws {
    let (directory, store, file, bytes, digest) = try storedFile()
    defer { withExtendedLifetime(directory) {} }
    try (bytes + Data([7])).write(to: file)
    #expect(try store.fileMatches(path: file.path, digest: digest) == false)
    try bytes.prefix(bytes.count - 1).write(to: file)
    #expect(try store.fileMatches(path: file.path, digest: digest) == false)
  }

  @Test func withoutARecipeItCannotTell() throws {
    let (directory, store, file, _, _) = try storedFile()
    defer { withExtendedLifetime(directory) {} }
    let small = try directory.write("work/small.txt", Data("tiny".utf8))
    let whole = try store.ingest(file: small)
    #expect(try store.fileMatches(path: small.path, digest: whole.digest) == nil)
    #expect(try store.fileMatches(path: file.path, digest: Digest.of(Data("x".utf8))) == nil)
  }

  @Test func aMissingFileIsAClearError() throws {
    let (directory, store, _, _, digest) = try storedFile()
    #expect(throws: StoreError.self) {
      try store.fileMatches(path: directory.path("work/gone.bin").path, digest: digest)
    }
  }

  @Test func reAddingWithTheExpectedDigestGivesTheSameResult() throws {
    let (directory, store, file, _, digest) = try storedFile()
    defer { withExtendedLifetime(directory) {} }
    let plain = try store.ingest(file: file)
    let checked = try store.ingest(file: file, expected: digest)
    #expect(checked.digest == digest)
    #expect(checked.chunkCount == plain.chunkCount)
    #expect(checked.newBytes.value == 0)
    #expect(try store.check().isClean)
  }

  @Test func aWrongExpectationFallsBackToHashing() throws {
    let (directory, store, file, bytes, digest) = try storedFile()
    var edited = bytes
    edited[2_000_000] ^= 0xFF
    try edited.write(to: file)
    let added = try store.ingest(file: file, expected: digest)
    #expect(added.digest == Digest.of(edited))
    let (otherDirectory, fresh) = try makeStore()
    defer { withExtendedLifetime((directory, otherDirectory)) {} }
    let reference = try fresh.ingest(file: file)
    #expect(added.chunkCount == reference.chunkCount)
    #expect(try store.data(for: added.digest) == edited)
    #expect(try store.check().isClean)
  }

  @Test func aRecipeWithAMissingChunkIsHealedByTheReAdd() throws {
    let (directory, store, file, bytes, digest) = try storedFile()
    defer { withExtendedLifetime(directory) {} }
    let recipe = try #require(store.storedRecipe(digest))
    let lost = store.objectPath(recipe.chunks[10].digest)
    chmod(lost, 0o644)
    #expect(unlink(lost) == 0)
    #expect(try !store.check().isClean)
    let added = try store.ingest(file: file, expected: digest)
    #expect(added.digest == digest)
    #expect(try store.check().isClean)
    #expect(try store.data(for: digest) == bytes)
  }
}
