import VouchCore

/// How one stored file is kept, as `Store.info(_:)` reports it.
public struct ObjectInfo: Sendable, Hashable, Codable {
  /// How the bytes are laid out.
  public enum Layout: String, Sendable, Hashable, Codable {
    /// One object holding the whole file.
    case whole
    /// Content-defined chunks plus a recipe.
    case chunked
  }

  /// SHA-256 of the whole file.
  public var digest: Digest
  /// File size.
  public var size: ByteCount
  /// Whole or chunked.
  public var layout: Layout
  /// Number of chunks (1 when whole).
  public var chunkCount: Int
  /// Bytes the store holds for this file: the object, or the distinct chunks plus the recipe
  /// (chunks shared with other files are counted here too).
  public var storedBytes: ByteCount
}

extension Store {
  /// How `digest` is stored, or `nil` when it is not.
  /// - Throws: `StoreError` (integrity) when its recipe is damaged.
  public func info(_ digest: Digest) throws -> ObjectInfo? {
    guard try contains(digest) else { return nil }
    switch try source(for: digest) {
    case .whole(_, let path):
      let size = try Sys.status(atPath: path)?.size ?? 0
      return ObjectInfo(
        digest: digest, size: ByteCount(size), layout: .whole, chunkCount: 1,
        storedBytes: ByteCount(size))
    case .chunked(let recipe, let recipeSize):
      var distinct = [Digest: Int64]()
      for chunk in recipe.chunks { distinct[chunk.digest] = chunk.size }
      let stored = distinct.values.reduce(recipeSize, +)
      return ObjectInfo(
        digest: digest, size: ByteCount(recipe.size), layout: .chunked,
        chunkCount: recipe.chunks.count, storedBytes: ByteCount(stored))
    }
  }
}
