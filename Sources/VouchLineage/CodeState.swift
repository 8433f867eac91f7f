import VouchCore

/// The code a run was computed with: a commit and whether the working tree differed from it.
///
/// `commit` is the newest commit whose content outside `manifests/` equals HEAD's, so vouch's own
/// manifest-only commits do not change it (otherwise every `vouch run` would invalidate the
/// previous run's key). `changes` digests the differing paths and their contents, so two runs from
/// the same uncommitted state share a run key while different uncommitted states do not.
public struct CodeState: Hashable, Sendable, Codable {
  /// The code commit; `nil` when nothing outside `manifests/` has been committed yet.
  public var commit: GitObjectID?
  /// Whether files outside `manifests/` differ from `commit` (staged, unstaged or untracked).
  public var dirty: Bool
  /// Digest of the sorted list of changed paths with their blob ids; `nil` when clean.
  public var changes: Digest?

  /// Creates a code state from its parts.
  public init(commit: GitObjectID?, dirty: Bool, changes: Digest? = nil) {
    self.commit = commit
    self.dirty = dirty
    self.changes = changes
  }
}
