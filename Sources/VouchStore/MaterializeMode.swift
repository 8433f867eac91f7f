/// How `materialize` puts bytes into the workspace.
public enum MaterializeMode: String, Sendable, CaseIterable, Codable {
  /// Reflink when the filesystem supports it, else a read-only hardlink for whole objects, else
  /// copy. Chunked files are always copied.
  case auto
  /// Copy-on-write clone (FICLONE) of a whole-file object; fails where unsupported.
  case reflink
  /// A read-only hard link to the object (whole-file objects only, same filesystem only).
  case hardlink
  /// A plain copy, verified as it is written.
  case copy
}
