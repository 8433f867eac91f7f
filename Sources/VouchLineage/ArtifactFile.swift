import VouchCore

/// One file of a directory artifact: the row of its canonical file list.
public struct ArtifactFile: Sendable, Hashable, Codable {
  /// Path relative to the artifact's directory, `/`-separated, never starting with `/` or `..`.
  public var path: String
  /// SHA-256 of the file's content.
  public var digest: Digest
  /// File size in bytes.
  public var size: ByteCount
  /// Whether any execute bit was set (restored on checkout).
  public var executable: Bool

  /// Creates a row.
  public init(path: String, digest: Digest, size: ByteCount, executable: Bool) {
    self.path = path
    self.digest = digest
    self.size = size
    self.executable = executable
  }
}
