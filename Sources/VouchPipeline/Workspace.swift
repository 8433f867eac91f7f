import Foundation
import VouchCore
import VouchStore

/// A vouch workspace: a directory holding `.vouch/` (the store), `manifests/` (kept in git) and the
/// artifacts themselves (ignored by git).
///
/// Commands find it by searching upward from the current directory, as git finds `.git`.
public final class Workspace: Sendable {
  /// Name of the store directory at the workspace root.
  public static let storeDirectoryName = ".vouch"
  /// Manifests of artifacts live under this folder of the root, one JSON file per artifact.
  public static let artifactManifestFolder = "manifests/artifacts"

  /// The workspace root (symlinks resolved).
  public let root: URL
  /// The content-addressed store in `.vouch/`.
  public let store: Store

  /// Wraps an opened store.
  init(root: URL, store: Store) {
    self.root = root
    self.store = store
  }

  /// `.vouch/` under the root.
  public var storeDirectory: URL {
    root.appendingPathComponent(Self.storeDirectoryName, isDirectory: true)
  }

  /// `manifests/artifacts/` under the root.
  public var manifestDirectory: URL {
    root.appendingPathComponent(Self.artifactManifestFolder, isDirectory: true)
  }

  /// The absolute URL of a workspace-relative path.
  public func url(for relativePath: String) -> URL {
    relativePath.isEmpty ? root : root.appendingPathComponent(relativePath)
  }

  /// Finds the workspace containing `directory` (searching upward) and opens its store.
  /// - Throws: `PipelineError.noWorkspace` when no `.vouch/` is found; `StoreError` when the store
  ///   cannot be opened (unknown layout version, corrupt index, …).
  public static func locate(from directory: URL) throws -> Workspace {
    let start = URL(fileURLWithPath: WorkspacePathResolver.realPath(directory.path))
    guard let root = findUpward(containing: storeDirectoryName, from: start, wantDirectory: true)
    else {
      throw PipelineError.noWorkspace(from: directory.path)
    }
    let store = try Store.open(at: root.appendingPathComponent(storeDirectoryName))
    return Workspace(root: root, store: store)
  }

  /// The nearest ancestor of `start` (or `start` itself) that has an entry called `name`.
  static func findUpward(containing name: String, from start: URL, wantDirectory: Bool?) -> URL? {
    var current = start.standardizedFileURL
    while true {
      var isDirectory: ObjCBool = false
      let candidate = current.appendingPathComponent(name).path
      if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory),
        wantDirectory == nil || wantDirectory == isDirectory.boolValue
      {
        return current
      }
      let parent = current.deletingLastPathComponent()
      if parent.path == current.path { return nil }
      current = parent
    }
  }
}
