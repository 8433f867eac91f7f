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
    /// Run inputs and outputs that no artifact manifest names: any of them may be a folder's
    /// listing, whose files `digests` holds only when the local store has the listing (a remote
    /// gc expands the others from the remote).
    public var listingCandidates: Set<Digest> = []
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
    // Run inputs and outputs, kept apart so only they are expanded below: artifact manifests
    // already list the files of their folders.
    var runDigests: Set<Digest> = []
    for manifest in try allManifests() { keep.digests.formUnion(manifest.referencedDigests) }
    let locks = try allLocks()
    for record in try allRunRecords() + locks.flatMap({ Array($0.stages.values) }) {
      runDigests.formUnion(record.referencedDigests)
    }
    if Workspace.gitRoot(containing: root) != nil {
      try collectRevisions(keepRevisions, into: &keep, runDigests: &runDigests)
    } else if !keepRevisions.isEmpty {
      throw PipelineError.usage(
        "--keep-rev needs a git repository, and \(root.path) is not in one; drop --keep-rev")
    }
    keep.listingCandidates = runDigests.subtracting(keep.digests)
    let folderOutputs = try directoryFiles(of: keep.listingCandidates)
    keep.digests.formUnion(runDigests)
    keep.digests.formUnion(folderOutputs)
    return keep
  }

  /// Adds what the manifests at HEAD (when the branch has a commit) and at each of `revisions`
  /// name.
  private func collectRevisions(
    _ revisions: [String], into keep: inout KeepSet, runDigests: inout Set<Digest>
  ) throws {
    let repository = try ManifestRepository(discoveringFrom: root)
    let repositoryRoot = URL(fileURLWithPath: WorkspacePathResolver.realPath(repository.root.path))
    let prefix = WorkspacePathResolver(root: repositoryRoot).relativeInside(root.path) ?? ""
    let base = prefix.isEmpty ? "" : prefix + "/"
    let head = try repository.head().commit == nil ? [] : ["HEAD"]
    for revision in head + revisions {
      let commit = try repository.resolve(revision)
      keep.sources.append("\(revision) (\(String(commit.hex.prefix(8))))")
      for (path, data) in try repository.files(under: base + Self.manifestsFolder, at: commit)
      where path.hasSuffix(".json") {
        let relative = String(path.dropFirst(base.count))
        if relative.hasPrefix(Self.artifactManifestFolder + "/") {
          do {
            keep.digests.formUnion(try ArtifactManifest.decode(data).referencedDigests)
          } catch let error as DecodingError {
            throw PipelineError.usage(
              "\(path) at \(revision) is not a valid artifact manifest "
                + "(\(Self.describe(error))); gc stops rather than guess what to keep")
          }
        } else if relative.hasPrefix(Self.runsFolder + "/") {
          runDigests.formUnion(try RunRecord.decode(data, file: path).referencedDigests)
        } else if relative.hasSuffix(PipelineLock.fileSuffix) {
          for record in try PipelineLock.decode(data, file: path).stages.values {
            runDigests.formUnion(record.referencedDigests)
          }
        }
      }
    }
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
}
