import Foundation
import VouchCore
import VouchStore

/// `vouch remote check`: the remote's re-hash of every object and recipe
/// (`Remote.check(progress:)`), with each problem named by the artifacts of this workspace it
/// breaks.
public struct RemoteIntegrityCheck: Sendable {
  /// One damaged or missing item on the remote.
  public struct Finding: Sendable, Codable, Hashable {
    /// `object`, `chunk` or `recipe`.
    public var item: String
    /// Its digest (its name on the remote).
    public var digest: Digest
    /// `corrupt`, `missing` or `truncated`.
    public var issue: String
    /// One line: what is wrong.
    public var detail: String
    /// The content digests (whole files) it breaks.
    public var breaks: [Digest]
    /// The workspace paths of that content (artifacts, folder files, run inputs and outputs),
    /// when this workspace records them.
    public var artifacts: [String]
  }

  /// The result of a remote check.
  public struct Report: Sendable, Codable, Hashable {
    /// The remote's name.
    public var remote: String
    /// The remote's directory.
    public var location: String
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
    /// Workspace paths broken by any problem, sorted.
    public var brokenArtifacts: [String]

    /// The error the command exits with when anything is damaged (exit status 12).
    public var failure: PipelineError? {
      guard let first = problems.first else { return nil }
      return PipelineError.integrity(
        "\(problems.count) damaged or missing item(s) on the remote '\(remote)' (first:"
          + " \(first.item) \(first.digest.short) breaks"
          + " \(RemoteTransfer.Report.names(first.artifacts))); run `vouch push --verify-remote`"
          + " from a clone whose store has them intact to heal them")
    }
  }

  /// The workspace whose manifests name the artifacts.
  public let workspace: Workspace

  /// Creates a check for `workspace`.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Checks the remote `remote` (the default remote when `nil`).
  /// - Parameters:
  ///   - name: the remote's name, or `nil` for the default remote.
  ///   - progress: called with (bytes hashed, bytes on the remote).
  /// - Returns: counts and every problem, with the artifacts it breaks.
  /// - Throws: `PipelineError` (usage) for an unknown remote; `StoreError` when the remote
  ///   cannot be read or stays locked by a `remote gc`.
  public func run(
    remote name: String?, progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) throws -> Report {
    let (chosen, remote) = try workspace.openRemote(named: name)
    let checked = try remote.check(progress: progress)
    let names = checked.isClean ? [:] : try workspace.artifactNames()
    let findings = checked.problems.map { problem in
      Finding(
        item: problem.item.rawValue, digest: problem.digest, issue: problem.issue.rawValue,
        detail: problem.detail, breaks: problem.affects.sorted(),
        artifacts: Array(Set(problem.affects.flatMap { names[$0] ?? [] })).sorted())
    }
    return Report(
      remote: chosen, location: remote.location, clean: checked.isClean,
      objectsChecked: checked.objectsChecked, recipesChecked: checked.recipesChecked,
      bytesChecked: checked.bytesChecked, problems: findings,
      brokenArtifacts: Array(Set(findings.flatMap(\.artifacts))).sorted())
  }
}
