import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch check`: the store's own re-hash of every object and recipe, joined with the manifests
/// so each problem names the artifacts it breaks, plus content the manifests need that the store
/// does not have at all.
public struct IntegrityCheck: Sendable {
  /// One problem, with the artifacts it breaks.
  public struct Finding: Sendable, Codable, Hashable {
    /// `object`, `chunk`, `recipe`, `indexRow` or `content` (named by a manifest, not stored).
    public var item: String
    /// The damaged item's digest.
    public var digest: Digest
    /// `corrupt`, `missing` or `truncated`.
    public var issue: String
    /// One line from the store.
    public var detail: String
    /// Artifacts that can no longer be checked out in full.
    public var artifacts: [String]
    /// The files concerned: artifact paths, or `folder/file` inside folder artifacts.
    public var files: [String]
  }

  /// The result of a check.
  public struct Report: Sendable, Codable, Hashable {
    /// Whether nothing is wrong.
    public var clean: Bool
    /// Whole objects and chunks re-hashed.
    public var objectsChecked: Int
    /// Recipes checked.
    public var recipesChecked: Int
    /// Bytes read and hashed.
    public var bytesChecked: ByteCount
    /// Everything found wrong.
    public var problems: [Finding]
    /// Artifacts broken by any problem, sorted.
    public var brokenArtifacts: [String]
    /// Why the index could not be read, if it could not.
    public var indexError: String?
    /// Whether the index was rebuilt first (`--repair-index`).
    public var indexRepaired: Bool
  }

  /// The workspace to check.
  public let workspace: Workspace

  /// Creates a check of `workspace`.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Runs the check, first rebuilding the index when `repairIndex` is set.
  /// - Parameters:
  ///   - repairIndex: rebuild the index from the objects on disk before checking.
  ///   - progress: called with bytes hashed so far.
  /// - Returns: every problem found, with the artifacts it breaks.
  /// - Throws: `StoreError` when the store itself cannot be read.
  public func run(repairIndex: Bool, progress: (@Sendable (Int64) -> Void)? = nil) throws -> Report
  {
    let manifests = try workspace.allManifests()
    if repairIndex { _ = try workspace.store.repairIndex() }
    let storeReport = try workspace.store.check(progress: progress)
    let users = Self.users(of: manifests)
    var findings = storeReport.problems.map { problem in
      let uses = problem.affects.flatMap { users[$0] ?? [] }
      return Finding(
        item: problem.item.rawValue, digest: problem.digest, issue: problem.issue.rawValue,
        detail: problem.detail, artifacts: Array(Set(uses.map(\.artifact))).sorted(),
        files: Array(Set(uses.map(\.file))).sorted())
    }
    let reported = Set(storeReport.problems.flatMap { $0.affects + [$0.digest] })
    for (digest, paths) in users.sorted(by: { $0.key < $1.key }) where !reported.contains(digest) {
      if try !workspace.store.contains(digest) {
        findings.append(
          Finding(
            item: "content", digest: digest, issue: "missing",
            detail:
              "named by a manifest but not in the store; `vouch add` the files again or fetch them",
            artifacts: Array(Set(paths.map(\.artifact))).sorted(),
            files: Array(Set(paths.map(\.file))).sorted()))
      }
    }
    // A folder manifest must list exactly what its stored listing lists.
    let content = StoredContent(workspace: workspace)
    for manifest in manifests where manifest.isDirectory {
      guard let mismatch = try? content.listingMismatch(manifest) else { continue }
      findings.append(
        Finding(
          item: "manifest", digest: manifest.digest, issue: "corrupt", detail: mismatch,
          artifacts: [manifest.path], files: [manifest.path]))
    }
    let broken = Set(findings.flatMap(\.artifacts))
    return Report(
      clean: findings.isEmpty && storeReport.indexError == nil,
      objectsChecked: storeReport.objectsChecked, recipesChecked: storeReport.recipesChecked,
      bytesChecked: ByteCount(storeReport.bytesChecked), problems: findings,
      brokenArtifacts: broken.sorted(), indexError: storeReport.indexError,
      indexRepaired: repairIndex)
  }

  /// For each digest, the (artifact, file) pairs using it; `file` is the artifact path itself for
  /// a file artifact or a folder's listing, and `folder/file` for a file inside a folder.
  static func users(of manifests: [ArtifactManifest]) -> [Digest: [(
    artifact: String, file: String
  )]] {
    var users: [Digest: [(artifact: String, file: String)]] = [:]
    for manifest in manifests {
      users[manifest.digest, default: []].append((manifest.path, manifest.path))
      for file in manifest.files ?? [] {
        users[file.digest, default: []].append((manifest.path, manifest.path + "/" + file.path))
      }
    }
    return users
  }
}
