/// How `materialize` puts bytes into the workspace.
public enum MaterializeMode: String, Sendable, CaseIterable, Codable {
  /// Reflink when the filesystem supports it (whole-file objects), else copy.
  ///
  /// Never a hardlink: a hardlinked workspace file *is* the store's object, and an in-place edit
  /// (root ignores the read-only bit) would silently corrupt the store. Ask for `hardlink`
  /// explicitly to trade that risk for space.
  case auto
  /// Copy-on-write clone (FICLONE) of a whole-file object; fails where unsupported.
  case reflink
  /// A read-only hard link to the object (whole-file objects only, same filesystem only).
  case hardlink
  /// A plain copy, verified as it is written.
  case copy
}
