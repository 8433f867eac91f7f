import VouchCore

/// What `ingest` stored for one file.
public struct IngestedFile: Sendable, Hashable {
  /// SHA-256 of the whole file.
  public var digest: Digest
  /// File size.
  public var size: ByteCount
  /// Number of chunks (1 for a whole-file object).
  public var chunkCount: Int
  /// Bytes newly written to `objects/` and `recipes/` by this call (0 when everything was
  /// already stored). In a batch, each new object is counted once, for the first file using it.
  public var newBytes: ByteCount
  /// The size, mtime and inode observed while reading (unchanged from start to end), ready for
  /// `recordStat`. `nil` for `ingest(data:)`.
  public var stat: FileStat?
  /// Whether the file was adopted by hard link (`link: true`) instead of copied.
  public var linked = false
  /// Why a file asked to be linked was copied instead (executable, another filesystem), as a
  /// one-line note for the user; `nil` when linking was not asked or not refused.
  public var linkRefusal: String?

  /// Creates a value (the store fills these in).
  public init(
    digest: Digest, size: ByteCount, chunkCount: Int, newBytes: ByteCount, stat: FileStat? = nil
  ) {
    self.digest = digest
    self.size = size
    self.chunkCount = chunkCount
    self.newBytes = newBytes
    self.stat = stat
  }
}

/// Size and filesystem identity of a workspace file, the key of the stat cache.
public struct FileStat: Sendable, Hashable, Codable {
  /// Size in bytes.
  public var size: Int64
  /// Modification time in nanoseconds since the epoch.
  public var mtimeNanoseconds: Int64
  /// Inode number.
  public var inode: UInt64

  /// Creates a value.
  public init(size: Int64, mtimeNanoseconds: Int64, inode: UInt64) {
    self.size = size
    self.mtimeNanoseconds = mtimeNanoseconds
    self.inode = inode
  }

  /// The stat of `path` (following symlinks), or `nil` if it does not exist.
  /// - Throws: `StoreError` when `path` cannot be examined.
  public static func of(path: String) throws -> FileStat? {
    try Sys.status(atPath: path).map(FileStat.init(status:))
  }

  init(status: Sys.Status) {
    self.init(
      size: status.size, mtimeNanoseconds: status.modificationNanoseconds, inode: status.inode)
  }
}
