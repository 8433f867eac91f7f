import Foundation
import VouchCore

// CONTRACT STUB — replaced by the store implementation (issue 2). The signatures below are what
// VouchPipeline codes against; the implementation may refine them but should keep their meaning.

/// How `materialize` puts bytes into the workspace.
public enum MaterializeMode: String, Sendable, CaseIterable, Codable {
  /// Reflink when the filesystem supports it, else a read-only hardlink for whole objects, else copy.
  case auto
  /// Copy-on-write clone (FICLONE); fails where unsupported.
  case reflink
  /// A read-only hard link to the object (whole-file objects only).
  case hardlink
  /// A plain copy, verified as it is written.
  case copy
}

/// What `ingest` stored for one file.
public struct IngestedFile: Sendable, Hashable {
  /// SHA-256 of the whole file.
  public var digest: Digest
  /// File size.
  public var size: ByteCount
  /// Number of chunks (1 for a whole-file object).
  public var chunkCount: Int
  /// Bytes newly written to `objects/` by this call (0 when everything was already stored).
  public var newBytes: ByteCount
}

/// Size and filesystem identity of a workspace file, the key of the stat cache.
public struct FileStat: Sendable, Hashable, Codable {
  public var size: Int64
  public var mtimeNanoseconds: Int64
  public var inode: UInt64
  public init(size: Int64, mtimeNanoseconds: Int64, inode: UInt64) {
    self.size = size
    self.mtimeNanoseconds = mtimeNanoseconds
    self.inode = inode
  }
}

/// The content-addressed store under `.vouch/`.
public final class Store: Sendable {
  /// The only layout version this build understands.
  public static let layoutVersion = 1

  /// The `.vouch` directory.
  public let directory: URL

  init(directory: URL) { self.directory = directory }

  /// Creates an empty store (`config`, `objects/`, `tmp/`, `index.sqlite` in WAL mode) at `directory`.
  public static func create(at directory: URL) throws -> Store { fatalError("stub") }

  /// Opens an existing store; refuses a layout version it does not know.
  public static func open(at directory: URL) throws -> Store { fatalError("stub") }

  /// Streams `file` into the store (hash, chunk, atomic writes) and returns its digest.
  /// Fails if the file changes while being read. `progress` receives bytes processed.
  public func ingest(file: URL, progress: (@Sendable (Int64) -> Void)? = nil) throws -> IngestedFile {
    fatalError("stub")
  }

  /// Stores `data` as a whole object (for small documents such as directory listings).
  public func ingest(data: Data) throws -> IngestedFile { fatalError("stub") }

  /// Whether the content named by `digest` is stored (whole object or recipe).
  public func contains(_ digest: Digest) throws -> Bool { fatalError("stub") }

  /// Writes the content of `digest` to `destination` atomically, verifying the digest as it writes.
  public func materialize(
    _ digest: Digest, to destination: URL, mode: MaterializeMode = .auto,
    progress: (@Sendable (Int64) -> Void)? = nil
  ) throws { fatalError("stub") }

  /// Reads the verified content of `digest` (small objects only; use `materialize` for files).
  public func data(for digest: Digest) throws -> Data { fatalError("stub") }

  /// The digest the stat cache remembers for `path` if its stat still matches, else `nil`.
  public func cachedDigest(forPath path: String, stat: FileStat) throws -> Digest? {
    fatalError("stub")
  }

  /// Remembers that `path` with `stat` has content `digest`.
  public func recordStat(path: String, stat: FileStat, digest: Digest) throws { fatalError("stub") }
}
