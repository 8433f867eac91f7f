import Foundation
import VouchCore
import VouchTestSupport

@testable import VouchStore

/// Small chunk sizes so tests exercise chunking with files of a few hundred KiB to a few MiB.
let testChunking = ChunkingParameters(
  minimumSize: 2 << 10, averageSize: 8 << 10, maximumSize: 32 << 10, threshold: 64 << 10)

/// A fresh store in a temporary directory (kept alive by the returned directory).
func makeStore(
  chunking: ChunkingParameters = testChunking, lockTimeout: Double? = 5
) throws -> (TemporaryDirectory, Store) {
  let directory = try TemporaryDirectory(prefix: "store")
  let store = try Store.create(
    at: directory.path(".vouch"), chunking: chunking, lockTimeout: lockTimeout)
  return (directory, store)
}

/// `count` seeded random bytes.
func randomBytes(_ count: Int, seed: UInt64) -> Data {
  var generator = SeededGenerator(seed: seed)
  return Data(generator.bytes(count))
}

/// Flips one bit of the byte at `offset` in `path` (objects are read-only, so chmod first).
func flipByte(at offset: Int, in path: String) throws {
  chmod(path, 0o644)
  var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
  bytes[offset] ^= 0x01
  try bytes.write(to: URL(fileURLWithPath: path))
}
