import VouchCore

/// One file of a directory artifact: the row of its canonical file list.
public struct ArtifactFile: Sendable, Hashable, Codable {
  /// Path relative to the artifact's directory in canonical form (``RecordedPath``): checked
  /// when decoded, so a listing or manifest can never name a file outside its folder.
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

  private enum CodingKeys: String, CodingKey { case path, digest, size, executable }

  /// Decodes a row, refusing a path that is not canonical (``RecordedPath``).
  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    path = try container.decode(String.self, forKey: .path)
    if let problem = RecordedPath.problem(with: path) {
      throw DecodingError.dataCorruptedError(
        forKey: .path, in: container,
        debugDescription: RecordedPath.refusal(path, problem))
    }
    digest = try container.decode(Digest.self, forKey: .digest)
    size = try container.decode(ByteCount.self, forKey: .size)
    executable = try container.decode(Bool.self, forKey: .executable)
  }
}
