import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch remote gc`: removes the leftovers of killed pushes from a remote and, on request,
/// the objects and recipes nothing in this workspace's keep set references.
public struct RemoteGarbageCollection: Sendable {
  /// What remote gc did (or would do).
  public struct Report: Sendable, Codable, Hashable {
    /// The remote's name.
    public var remote: String
    /// The remote's directory.
    public var location: String
    /// The remote's report: leftovers, deleted items with sizes, and what was kept.
    public var result: RemoteGCReport
    /// Where the keep set's manifests were read (`working tree`, `HEAD (…)`, each
    /// `--keep-rev`); empty without `--unreferenced`.
    public var keptFrom: [String]
  }

  /// The workspace whose keep set decides what stays.
  public let workspace: Workspace

  /// Creates a collection for `workspace`.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Collects garbage on the remote `remote` (the default remote when `nil`).
  ///
  /// With `unreferenced`, keeps what local `vouch gc` keeps (manifests in the working tree, at
  /// HEAD and at `keepRevisions`, with the files of folder outputs whose listing only the
  /// remote holds) and deletes every other object and recipe on the remote, which other clones
  /// may still need.
  /// - Parameters:
  ///   - name: the remote's name, or `nil` for the default remote.
  ///   - unreferenced: also delete objects and recipes outside the keep set.
  ///   - keepRevisions: git revisions whose manifests also count (with `unreferenced`).
  ///   - dryRun: report without removing anything.
  /// - Returns: what was (or would be) removed and kept.
  /// - Throws: `PipelineError` (usage) for an unknown remote or revision; `StoreError`
  ///   (locked) when pushes keep the remote busy past the lock timeout, (integrity) when a
  ///   kept recipe or folder listing on the remote is damaged (nothing is then deleted).
  public func run(
    remote name: String?, unreferenced: Bool, keepRevisions: [String], dryRun: Bool
  ) throws -> Report {
    let (chosen, remote) = try workspace.openRemote(named: name, removingLeftovers: false)
    var keeping: Set<Digest>?
    var sources: [String] = []
    if unreferenced {
      let keep = try workspace.keepSet(keepRevisions: keepRevisions)
      keeping = keep.digests.union(try folderFiles(keep.listingCandidates, on: remote))
      sources = keep.sources
    }
    let result = try remote.garbageCollect(keeping: keeping, dryRun: dryRun)
    return Report(remote: chosen, location: remote.location, result: result, keptFrom: sources)
  }

  /// The files of the folder listings among `candidates` that only the remote holds.
  private func folderFiles(_ candidates: Set<Digest>, on remote: any Remote) throws -> Set<Digest> {
    var files = Set<Digest>()
    for digest in candidates.sorted() {
      guard try !workspace.store.contains(digest),
        let size = try remote.size(of: .object(digest)), size <= 16 << 20
      else { continue }
      let data: Data
      do { data = try remote.readVerified(.object(digest)) } catch let error as StoreError
        where error.category == .integrity
      {
        throw PipelineError.integrity(
          "remote gc stopped without deleting anything: output \(digest.short) on the remote is"
            + " damaged, so the folder files it may list are unknown; heal it with"
            + " `vouch push --verify-remote` from a clone that has it, then retry")
      }
      guard let listing = try? JSONDecoder().decode(DirectoryListing.self, from: data) else {
        continue
      }
      for file in listing.files { files.insert(file.digest) }
    }
    return files
  }
}
