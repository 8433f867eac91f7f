import Foundation
import VouchCore

extension Store {
  /// A chunk to copy out of an adopted whole object before that object is deleted.
  struct Extraction {
    /// The chunk.
    var chunk: Recipe.Chunk
    /// The file whose recipe needs it (for messages).
    var neededBy: Digest
  }

  /// The chunks of `keptRecipes` that have no standalone object and live only inside adopted
  /// whole objects that are not kept (so gc is about to delete them), each listed once.
  func chunksToExtract(keptRecipes: [Recipe], keptObjects: Set<Digest>) throws -> [Extraction] {
    let packed = try PackedChunks.scanned(self)
    let containers = packed.all
    if containers.isEmpty { return [] }
    var seen = Set<Digest>()
    var out: [Extraction] = []
    for recipe in keptRecipes {
      // A kept adopted file keeps its own whole object, which holds all its chunks.
      if packed.containers.contains(recipe.digest) { continue }
      for chunk in recipe.chunks where seen.insert(chunk.digest).inserted {
        guard let location = containers[chunk.digest],
          !keptObjects.contains(location.container),
          try Sys.status(atPath: objectPath(chunk.digest)) == nil
        else { continue }
        out.append(Extraction(chunk: chunk, neededBy: recipe.digest))
      }
    }
    return out
  }

  /// Writes each chunk of `extractions` as a standalone object, read (and verified) from inside
  /// its adopted container, and publishes them durably.
  /// - Throws: `StoreError` (integrity) when a chunk inside its container is damaged: gc then
  ///   stops before deleting anything.
  func extract(_ extractions: [Extraction]) throws {
    if extractions.isEmpty { return }
    let packed = try PackedChunks.scanned(self)
    let staged = StagedObjects(store: self, flush: .filesystem, skipsPacked: false)
    defer { staged.discard() }
    let buffer = UnsafeMutableRawPointer.allocate(
      byteCount: Int(Recipe.maximumChunkSize), alignment: 4096)
    defer { buffer.deallocate() }
    for item in extractions {
      let bytes: UnsafeRawBufferPointer
      do {
        bytes = try readChunk(item.chunk, into: buffer, of: item.neededBy, packed: packed)
      } catch let error as StoreError {
        throw StoreError.integrity("gc stopped without deleting anything: \(error.message)")
      }
      try staged.stageObject(bytes, digest: item.chunk.digest)
    }
    try staged.publish()
  }
}
