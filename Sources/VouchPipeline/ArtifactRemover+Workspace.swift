import Foundation
import VouchCore
import VouchLineage

extension ArtifactRemover {
  /// Refuses `--delete` when deleting would lose bytes: a workspace copy with changes (or new
  /// files in a folder) that are not stored, or recorded content missing from the store.
  /// - Throws: `PipelineError.usage` naming the artifact and what to do instead.
  func checkDeletable(_ manifests: [ArtifactManifest]) throws {
    let paths = Set(manifests.map(\.path))
    for status in try StatusScanner(workspace: workspace).scan(only: paths)
    where status.state == .modified {
      throw PipelineError.usage(
        "'\(status.path)' has changes that are not stored, so --delete would lose them; `vouch add` it first, or untrack it without --delete"
      )
    }
    for manifest in manifests {
      let digests = manifest.files.map { $0.map(\.digest) } ?? [manifest.digest]
      for digest in digests where try !workspace.store.contains(digest) {
        throw PipelineError.usage(
          "'\(manifest.path)' is not fully in the store (\(digest.short) is missing), so --delete would lose it; run `vouch check`, or untrack it without --delete"
        )
      }
    }
  }

  /// Deletes the manifest of `manifest` and the folders under `manifests/artifacts/` it leaves
  /// empty.
  /// - Throws: `PipelineError.failure` when the manifest cannot be deleted.
  func untrack(_ manifest: ArtifactManifest) throws {
    let url = workspace.manifestURL(for: manifest.path)
    do {
      try FileManager.default.removeItem(at: url)
    } catch {
      throw PipelineError.failure(
        "cannot delete \(Workspace.artifactManifestFolder)/\(manifest.path).json: \(error.localizedDescription); check the folder's permissions"
      )
    }
    let top = workspace.manifestDirectory.standardizedFileURL.path
    var folder = url.deletingLastPathComponent().standardizedFileURL
    while folder.path.hasPrefix(top + "/"), rmdir(folder.path) == 0 {
      folder = folder.deletingLastPathComponent()
    }
  }

  /// Deletes the workspace file or folder at `path`, if it is there.
  /// - Throws: `PipelineError.failure` when it cannot be deleted.
  func removeFromWorkspace(_ path: String) throws {
    let url = workspace.url(for: path)
    var info = stat()
    guard lstat(url.path, &info) == 0 else { return }
    do {
      try FileManager.default.removeItem(at: url)
    } catch {
      throw PipelineError.failure(
        "cannot delete '\(path)': \(error.localizedDescription); its manifest is already gone, so delete it yourself"
      )
    }
  }
}
