import Foundation
import VouchCore
import VouchLineage

/// Digests of workspace paths as run records name them: a file's SHA-256, or a folder's listing
/// digest (the same numbers `vouch add` records).
struct ArtifactDigester {
  /// The folder the paths are relative to (the workspace, or a reproduction sandbox).
  let root: URL

  /// The digest of `path`, or `nil` when nothing is there.
  /// - Throws: `PipelineError` when the path cannot be read.
  func digest(of path: String) throws -> Digest? {
    let absolute = root.appendingPathComponent(path).path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
      return nil
    }
    guard isDirectory.boolValue else { return try ContentHasher.digest(ofFileAt: absolute) }
    let rows = try FileWalker(root: root).files(under: absolute, shownAs: path).map { entry in
      ArtifactFile(
        path: entry.path, digest: try ContentHasher.digest(ofFileAt: entry.absolutePath),
        size: ByteCount(entry.stat.size), executable: entry.executable)
    }
    return try DirectoryListing(files: rows).digest()
  }
}
