import Foundation
import VouchCore
import VouchStore

/// `vouch gc`: deletes stored objects and recipes that no manifest needs.
public struct GarbageCollection: Sendable {
  /// What gc did (or would do), with where the keep set came from.
  public struct Report: Sendable, Codable, Hashable {
    /// The store's report: deleted items with sizes, and what was kept.
    public var store: GCReport
    /// Where manifests were read: `working tree`, `HEAD (…)`, each `--keep-rev`.
    public var keptFrom: [String]
  }

  /// The workspace to collect.
  public let workspace: Workspace

  /// Creates a collection for `workspace`.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Collects garbage, keeping everything named by manifests in the working tree, at HEAD and at
  /// `keepRevisions`.
  ///
  /// Holds `gc.lock` exclusively from reading the manifests to the last deletion, so an `add`
  /// running at the same time either finishes (and its manifest is read) or has not started.
  public func run(keepRevisions: [String], dryRun: Bool) throws -> Report {
    try WorkspaceLock.withLock(at: workspace.collectionLockURL) {
      let keep = try workspace.keepSet(keepRevisions: keepRevisions)
      let report = try workspace.store.garbageCollect(keeping: keep.digests, dryRun: dryRun)
      return Report(store: report, keptFrom: keep.sources)
    }
  }
}
