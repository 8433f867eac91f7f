import VouchCore
import VouchLineage

/// How the workspace copy of one artifact compares with its manifest.
public struct ArtifactStatus: Sendable, Codable, Hashable {
  /// The artifact's overall state.
  public enum State: String, Sendable, Codable {
    /// Every byte matches the manifest.
    case unchanged
    /// Some content differs (see ``changes`` for directories).
    case modified
    /// The path is missing from the workspace (`vouch checkout` restores it).
    case deleted
  }

  /// One file of a directory artifact that differs from the manifest.
  public struct FileChange: Sendable, Codable, Hashable {
    /// What happened to the file.
    public enum Kind: String, Sendable, Codable { case modified, deleted, new }
    /// Path relative to the artifact's folder.
    public var path: String
    /// Modified, deleted or new.
    public var change: Kind
  }

  /// Path of the artifact relative to the workspace root.
  public var path: String
  /// The kind recorded in the manifest.
  public var kind: ArtifactKind
  /// Overall state.
  public var state: State
  /// For directories: the files that differ (empty when unchanged).
  public var changes: [FileChange]
  /// For directories: how many recorded files are unchanged.
  public var unchangedFiles: Int
}
