import Foundation
import VouchCore
import VouchLineage

extension Workspace {
  /// What `vouch gc` must keep: every digest named by an artifact manifest, a pipeline lock or a
  /// run record (`manifests/runs/`) in the working tree, at HEAD, and at each revision of
  /// `keepRevisions` — run inputs and outputs too, so `vouch reproduce` and the run-cache keep
  /// working after a gc.
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
    for record in try allRunRecords() { keep.digests.formUnion(record.referencedDigests) }
    for lock in try allLocks() {
      for record in lock.stages.values { keep.digests.formUnion(record.referencedDigests) }
    }
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
    let manifests = (prefix.isEmpty ? "" : prefix + "/") + "manifests"
    let folder = (prefix.isEmpty ? "" : prefix + "/") + Self.artifactManifestFolder
    var revisions: [String] = []
    if try repository.head().commit != nil { revisions.append("HEAD") }
    revisions += keepRevisions
    for revision in revisions {
      let commit = try repository.resolve(revision)
      keep.sources.append("\(revision) (\(String(commit.hex.prefix(8))))")
      for (path, data) in try repository.files(under: manifests, at: commit)
      where path.hasSuffix(".json") {
        if path.hasPrefix(folder + "/") {
          do {
            keep.digests.formUnion(try ArtifactManifest.decode(data).referencedDigests)
          } catch let error as DecodingError {
            throw PipelineError.usage(
              "\(path) at \(revision) is not a valid artifact manifest "
                + "(\(Self.describe(error))); gc stops rather than guess what to keep")
          }
        } else if path.hasSuffix(PipelineLock.fileSuffix) {
          for record in try PipelineLock.decode(data, file: path).stages.values {
            keep.digests.formUnion(record.referencedDigests)
          }
        } else if path.contains("/runs/") {
          keep.digests.formUnion(try RunRecord.decode(data, file: path).referencedDigests)
        }
      }
    }
    keep.digests.formUnion(try directoryFiles(of: keep.digests))
    return keep
  }

  /// The files of every stored directory listing among `digests` (a stage output that is a folder
  /// is recorded by its listing's digest; its files must survive too).
  private func directoryFiles(of digests: Set<Digest>) throws -> Set<Digest> {
    var files: Set<Digest> = []
    for digest in digests {
      guard let info = try store.info(digest), info.size.value <= 16 << 20, info.chunkCount <= 1,
        let data = try? store.data(for: digest),
        let listing = try? JSONDecoder().decode(DirectoryListing.self, from: data)
      else { continue }
      for file in listing.files { files.insert(file.digest) }
    }
    return files
  }

  /// Every pipeline lock in `manifests/`.
  func allLocks() throws -> [PipelineLock] {
    let folder = url(for: "manifests")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return try names.filter { $0.hasSuffix(PipelineLock.fileSuffix) }.sorted().compactMap { name in
      let path = "manifests/\(name)"
      return try FileManager.default.contents(atPath: url(for: path).path).map {
        try PipelineLock.decode($0, file: path)
      }
    }
  }
}
