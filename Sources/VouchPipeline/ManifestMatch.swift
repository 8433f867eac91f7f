import VouchLineage

/// How a workspace path named on the command line selects recorded artifacts: every artifact at
/// or under the path (whole), or the folder artifact that contains it, restricted to the files
/// at or under the rest of the path. Shared by checkout and the remote transfers, so `vouch
/// pull data/x` and `vouch checkout data/x` mean the same files.
struct ManifestMatch {
  /// The matched artifact.
  let manifest: ArtifactManifest
  /// The path inside the artifact when the named path lies inside it; `nil` for the whole.
  let inner: String?

  /// Every match of the workspace-relative `path` among `manifests`, in their order.
  static func all(for path: String, in manifests: [ArtifactManifest]) -> [ManifestMatch] {
    manifests.compactMap { manifest in
      if manifest.path == path || manifest.path.hasPrefix(path + "/") {
        return ManifestMatch(manifest: manifest, inner: nil)
      }
      if path.hasPrefix(manifest.path + "/") {
        return ManifestMatch(
          manifest: manifest, inner: String(path.dropFirst(manifest.path.count + 1)))
      }
      return nil
    }
  }

  /// Whether the file at `relative` (inside the artifact) is selected.
  func includes(_ relative: String) -> Bool {
    guard let inner else { return true }
    return relative == inner || relative.hasPrefix(inner + "/")
  }

  /// The usage error for a path that matches no artifact.
  static func noArtifact(at argument: String) -> PipelineError {
    .usage("no artifact at '\(argument)'; `vouch ls` lists the recorded artifacts")
  }
}
