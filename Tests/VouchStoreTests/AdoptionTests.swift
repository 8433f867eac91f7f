import Foundation
import GRDB
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

/// `ingest(file:link: true)`: large files adopted by hard link instead of copied.
@Suite struct AdoptionTests {
  /// A copy of `bytes` with `blocks` seeded 4 KiB blocks rewritten.
  func edited(_ bytes: Data, blocks: Int, seed: UInt64) -> Data {
    var out = [UInt8](bytes)
    var generator = SeededGenerator(seed: seed)
    let count = out.count / 4096
    for _ in 0..<blocks {
      let block = Int(generator.next() % UInt64(count))
      for index in (block * 4096)..<(block * 4096 + 4096) { out[index] ^= 0xA5 }
    }
    return Data(out)
  }

  /// Standalone chunk objects in the store (files under objects/ other than `except`).
  func objectFiles(_ store: Store, except: Set<Digest> = []) throws -> Set<Digest> {
    Set(try store.listNames(in: "objects")).subtracting(except)
  }

  /// A store holding a random file of `size` bytes from `seed`, added with `link: true` as
  /// a.bin, and a copy of it with `blocks` blocks rewritten (seed + 1), added by copy as b.bin.
  struct AdoptedPair {
    let directory: TemporaryDirectory
    let store: Store
    let bytes: Data
    let adopted: IngestedFile
    let copyBytes: Data
    let copy: IngestedFile
  }

  func adoptedPair(size: Int, blocks: Int, seed: UInt64) throws -> AdoptedPair {
    let (directory, store) = try makeStore()
    let bytes = randomBytes(size, seed: seed)
    let adopted = try store.ingest(file: try directory.write("a.bin", bytes), link: true)
    let copyBytes = edited(bytes, blocks: blocks, seed: seed + 1)
    let copy = try store.ingest(file: try directory.write("b.bin", copyBytes))
    return AdoptedPair(
      directory: directory, store: store, bytes: bytes, adopted: adopted, copyBytes: copyBytes,
      copy: copy)
  }

  @Test func adoptedFileChecksOutByteIdenticalAndSharesTheInode() throws {
    let (directory, store) = try makeStore()
    let bytes = randomBytes(3_000_000, seed: 41)
    let file = try directory.write("big.bin", bytes)
    let result = try store.ingest(file: file, link: true)
    #expect(result.linked)
    #expect(result.newBytes.value < 50_000, "only the recipe is written")
    #expect(result.chunkCount > 10)
    let object = try #require(try Sys.status(atPath: store.objectPath(result.digest)))
    let workspace = try #require(try Sys.status(atPath: file.path))
    #expect(object.inode == workspace.inode)
    #expect(workspace.permissions == 0o444)
    #expect(try objectFiles(store, except: [result.digest]).isEmpty, "no chunk was written")
    for mode in [MaterializeMode.copy, .hardlink] {
      let out = directory.path("out-\(mode.rawValue)/big.bin")
      try store.materialize(result.digest, to: out, mode: mode)
      #expect(try Data(contentsOf: out) == bytes)
    }
    #expect(try store.check().isClean)
    // Adding it again (same inode, new mtime) stores and links nothing more.
    let again = try store.ingest(file: file, link: true)
    #expect(again.digest == result.digest && again.newBytes.value == 0 && !again.linked)
  }

  @Test func anEditedCopyOfAnAdoptedFileWritesOnlyTheChangedChunks() throws {
    let pair = try adoptedPair(size: 4_000_000, blocks: 4, seed: 42)
    #expect(!pair.copy.linked)
    #expect(pair.copy.newBytes.value > 0)
    #expect(pair.copy.newBytes.value < 400_000, "\(pair.copy.newBytes) new for 4 changed blocks")
    let out = pair.directory.path("out/b.bin")
    try pair.store.materialize(pair.copy.digest, to: out)
    #expect(try Data(contentsOf: out) == pair.copyBytes)
    #expect(pair.adopted.digest != pair.copy.digest)
    #expect(try pair.store.check().isClean)
  }

  @Test func pushSendsChunksThatLiveInsideAnAdoptedObject() throws {
    let pair = try adoptedPair(size: 4_000_000, blocks: 4, seed: 46)
    let remote = try FilesystemRemote.create(at: pair.directory.path("remote"))
    // Only the edited copy: its unchanged chunks have no file of their own in this store.
    let pushed = try pair.store.push([pair.copy.digest], to: remote)
    #expect(pushed.missing.isEmpty && pushed.corrupt.isEmpty)
    let other = try Store.create(
      at: pair.directory.path("other"), chunking: testChunking, lockTimeout: 5)
    let fetched = try other.fetch([pair.copy.digest], from: remote)
    #expect(fetched.missing.isEmpty && fetched.corrupt.isEmpty)
    let out = pair.directory.path("out/b.bin")
    try other.materialize(pair.copy.digest, to: out)
    #expect(try Data(contentsOf: out) == pair.copyBytes)
    #expect(pair.adopted.digest != pair.copy.digest)
    #expect(try other.check().isClean)
  }

  @Test func gcOfTheAdoptedFileExtractsTheChunksAKeptCopyNeeds() throws {
    let pair = try adoptedPair(size: 3_000_000, blocks: 3, seed: 44)
    let dry = try pair.store.garbageCollect(keeping: [pair.copy.digest], dryRun: true)
    #expect(dry.extractedChunks > 10)
    #expect(try Sys.status(atPath: pair.store.objectPath(pair.adopted.digest)) != nil)
    let real = try pair.store.garbageCollect(keeping: [pair.copy.digest], dryRun: false)
    #expect(real.extractedChunks == dry.extractedChunks)
    #expect(real.deleted.contains { $0.digest == pair.adopted.digest && $0.kind == .object })
    #expect(try !pair.store.contains(pair.adopted.digest))
    let out = pair.directory.path("out/b.bin")
    try pair.store.materialize(pair.copy.digest, to: out)
    #expect(try Data(contentsOf: out) == pair.copyBytes)
    // The workspace file lost only its second name.
    #expect(try Data(contentsOf: pair.directory.path("a.bin")) == pair.bytes)
    let report = try pair.store.check()
    #expect(report.isClean, "\(report.problems)")
    #expect(report.unindexedObjects == 0)
  }

  @Test func aFlippedByteInAnAdoptedObjectIsCaughtByCheckAndCheckout() throws {
    let pair = try adoptedPair(size: 2_000_000, blocks: 2, seed: 46)
    try flipByte(at: 1_234_567, in: pair.store.objectPath(pair.adopted.digest))
    let report = try pair.store.check()
    #expect(!report.isClean)
    #expect(report.problems.contains { $0.item == .object && $0.digest == pair.adopted.digest })
    #expect(
      report.problems.contains { $0.affects.contains(pair.adopted.digest) && $0.item == .chunk })
    #expect(throws: StoreError.self) {
      try pair.store.materialize(pair.adopted.digest, to: pair.directory.path("out/a.bin"))
    }
    // The edited copy borrows the damaged chunk (1,234,567 is in an unchanged block or not;
    // either way its checkout must succeed only with the right bytes).
    let out = pair.directory.path("out/b.bin")
    if (try? pair.store.materialize(pair.copy.digest, to: out)) != nil {
      #expect(Digest.of(try Data(contentsOf: out)) == pair.copy.digest)
    }
    #expect(!FileManager.default.fileExists(atPath: pair.directory.path("out/a.bin").path))
  }

  @Test func repairIndexReproducesTheSameAvailability() throws {
    let pair = try adoptedPair(size: 2_500_000, blocks: 3, seed: 48)
    func rows() throws -> [String] {
      try pair.store.index.get().read { db in
        try String.fetchAll(db, sql: "SELECT digest || ' ' || size FROM object ORDER BY 1")
          + String.fetchAll(
            db, sql: "SELECT recipe || position || chunk FROM recipeChunk ORDER BY 1")
      }
    }
    let before = try rows()
    let repaired = try pair.store.repairIndex()
    #expect(repaired.skippedRecipes.isEmpty)
    #expect(try rows() == before)
    #expect(try pair.store.check().isClean)
    // Availability through the rebuilt index: a second edited copy writes only its own chunks.
    let third = try pair.store.ingest(
      file: try pair.directory.write("c.bin", edited(pair.copyBytes, blocks: 1, seed: 50)))
    #expect(third.newBytes.value < 200_000)
    try pair.store.materialize(pair.copy.digest, to: pair.directory.path("out/b.bin"))
    #expect(try Data(contentsOf: pair.directory.path("out/b.bin")) == pair.copyBytes)
  }

  @Test func executablesSmallFilesAndOtherFilesystemsAreCopied() throws {
    let (directory, store) = try makeStore()
    let tool = try directory.write("tool", randomBytes(500_000, seed: 51))
    chmod(tool.path, 0o755)
    let toolResult = try store.ingest(file: tool, link: true)
    #expect(!toolResult.linked)
    #expect(toolResult.linkRefusal?.contains("executable") == true)
    #expect(try Sys.status(atPath: tool.path)?.permissions == 0o755)
    #expect(try objectFiles(store).count == toolResult.chunkCount, "its chunks were copied")

    let small = try directory.write("small", randomBytes(10_000, seed: 52))
    let smallResult = try store.ingest(file: small, link: true)
    #expect(!smallResult.linked && smallResult.linkRefusal == nil)
    #expect(try Sys.status(atPath: small.path)?.permissions == 0o644)
    #expect(
      try Sys.status(atPath: store.objectPath(smallResult.digest))?.inode
        != (try Sys.status(atPath: small.path))?.inode)

    // /dev/shm is a tmpfs: another filesystem than the store's, where one exists.
    let shm = "/dev/shm/vouch-adoption-\(getpid())"
    guard let here = try Sys.status(atPath: directory.url.path),
      let there = try Sys.status(atPath: "/dev/shm"), here.device != there.device
    else { return }
    let elsewhere = URL(fileURLWithPath: shm)
    try randomBytes(400_000, seed: 53).write(to: elsewhere)
    defer { unlink(shm) }
    let moved = try store.ingest(file: elsewhere, link: true)
    #expect(!moved.linked)
    #expect(moved.linkRefusal?.contains("another filesystem") == true)
    #expect(try store.data(for: moved.digest) == (try Data(contentsOf: elsewhere)))
    #expect(try store.check().isClean)
  }
}
