import Foundation
import VouchCore
import VouchLineage

extension Workspace {
  /// What `vouch gc` must keep: every digest named by an artifact manifest in the working tree,
  /// at HEAD, and at each revision of `keepRevisions`.
  public struct KeepSet: Sendable {
    /// Digests to keep (contents, directory listings and the files of directories).
    public var digests: Set<Digest>
    /// Where the manifests were read: `working tree`, `HEAD (1a2b3c4d)`, `v1.0 (…)`.
    public var sources: [String]
  }

  /// The digests that manifests in the working tree, at HEAD and at `keepRevisions` reference.
  ///
  /// The working tree counts too, so artifacts added but not yet committed survive. A manifest
  /// that cannot be decoded (for example an unknown schema version) stops the whole computation:
  /// guessing would risk deleting data someone needs.
  /// - Throws: `PipelineError.usage` for `keepRevisions` outside a git repository;
  ///   `LineageError` for a revision that names no commit.
  public func keepSet(keepRevisions: [String]) throws -> KeepSet {
    var keep = KeepSet(digests: [], sources: ["working tree"])
    for manifest in try allManifests() { keep.digests.formUnion(manifest.referencedDigests) }
    guard Workspace.gitRoot(containing: root) != nil else {
      if !keepRevisions.isEmpty {
        throw PipelineError.usage(
          "--keep-rev needs a git repository, and \(root.path) is not in one; drop --keep-rev")
      }
      return keep
    }
    let repository = try ManifestRepository(discoveringFrom: root)
    let repositoryRoot = URL(fileURLWithPath: WorkspacePathResolver.realPath(repository.root.path))
    let prefix = WorkspacePathResolver(root: repositoryRoot).relativeInside(root.path) ?? ""
    let folder = (prefix.isEmpty ? "" : prefix + "/") + Self.artifactManifestFolder
    var revisions: [String] = []
    if try repository.head().commit != nil { revisions.append("HEAD") }
    revisions += keepRevisions
    for revision in revisions {
      let commit = try repository.resolve(revision)
      keep.sources.append("\(revision) (\(String(commit.hex.prefix(8))))")
      for (path, data) in try repository.files(under: folder, at: commit)
      where path.hasSuffix(".json") {
        do {
          keep.digests.formUnion(try ArtifactManifest.decode(data).referencedDigests)
        } catch let error as DecodingError {
          throw PipelineError.usage(
            "\(path) at \(revision) is not a valid artifact manifest (\(Self.describe(error))); gc stops rather than guess what to keep"
          )
        }
      }
    }
    return keep
  }
}
