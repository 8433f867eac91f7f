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
  /// empty, never through a symlink.
  /// - Throws: `PipelineError.failure` when the manifest cannot be deleted; `StoreError`
  ///   (integrity) for a symlink on the way.
  func untrack(_ manifest: ArtifactManifest) throws {
    let relative = "\(Workspace.artifactManifestFolder)/\(manifest.path).json"
    let folders = try AnchoredFolders(anchor: workspace.root.path)
    let (opened, name) = try folders.parent(of: relative, create: false)
    guard let folder = opened else { return }
    do { try folder.remove(name) } catch let error as any VouchError {
      throw PipelineError.failure(
        "cannot delete \(relative): \(error.message); check the folder's permissions")
    }
    var emptied = (relative as NSString).deletingLastPathComponent
    while emptied.hasPrefix(Workspace.artifactManifestFolder + "/") {
      let (parent, child) = try folders.parent(of: emptied, create: false)
      guard let parent, parent.removeIfEmpty(child) else { break }
      folders.forget(emptied)
      emptied = (emptied as NSString).deletingLastPathComponent
    }
  }

  /// Deletes the workspace file or folder at `path`, if it is there, never through a symlink.
  /// - Throws: `PipelineError.failure` when it cannot be deleted.
  func removeFromWorkspace(_ path: String) throws {
    let folders = try AnchoredFolders(anchor: workspace.root.path)
    let (opened, name) = try folders.parent(of: path, create: false)
    do { try opened?.remove(name) } catch let error as any VouchError {
      throw PipelineError.failure(
        "cannot delete '\(path)': \(error.message); its manifest is already gone, so delete it yourself"
      )
    }
  }
}
