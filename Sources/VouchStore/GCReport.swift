import VouchCore

/// What `Store.garbageCollect` deleted (or, in a dry run, would delete).
public struct GCReport: Sendable, Hashable, Codable {
  /// One deleted file.
  public struct Item: Sendable, Hashable, Codable {
    /// Whether the file was an object (whole file or chunk) or a recipe.
    public enum Kind: String, Sendable, Hashable, Codable {
      /// A whole-file object or a chunk.
      case object
      /// A recipe.
      case recipe
    }
    /// The file's name.
    public var digest: Digest
    /// Object or recipe.
    public var kind: Kind
    /// Its size on disk.
    public var size: ByteCount
  }

  /// Whether nothing was actually deleted.
  public var dryRun: Bool
  /// The files deleted (or that would be), sorted by kind and digest.
  public var deleted: [Item] = []
  /// Their total size.
  public var deletedBytes: ByteCount = 0
  /// Objects and chunks kept.
  public var keptObjects = 0
  /// Recipes kept.
  public var keptRecipes = 0
  /// Bytes kept.
  public var keptBytes: ByteCount = 0
  /// Chunks copied out of deleted adopted objects (`add --link`) because kept files need them.
  public var extractedChunks = 0
  /// Their total size.
  public var extractedBytes: ByteCount = 0
  /// Damaged files moved to `quarantine/` by earlier reads, removed (or that would be).
  public var quarantinedFiles = 0
  /// Their total size.
  public var quarantinedBytes: ByteCount = 0
  /// Digests in the keep set that the store does not hold (nothing to keep for them).
  public var absent: [Digest] = []
}
