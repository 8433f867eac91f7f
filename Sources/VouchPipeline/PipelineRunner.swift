import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch run`: runs out-of-date stages in dependency order, records runs, outputs and claims,
/// and commits `manifests/`.
///
/// A stage is up to date when its run key, its outputs' digests and its claim definitions match
/// the lock. Otherwise a run key found in the run-cache (`manifests/runs/`) whose outputs are all
/// in the store is restored instead of recomputed, and its claims are read again from the
/// restored outputs (never copied from the cached record); else the command runs. A failing
/// command stops the run with its exit status and the tail of its standard error, and leaves
/// every lock as it was. One run at a time per workspace: `.vouch/run.lock` is held from planning
/// to the commit, so two runs never execute stage commands at once.
public struct PipelineRunner {
  /// What to run.
  public struct Options: Sendable {
    /// Stage names, optionally `pipeline:stage`; empty runs every stage.
    public var stages: [String] = []
    /// Restrict to this pipeline.
    public var pipeline: String?
    /// Recompute even up-to-date and cached stages.
    public var force = false
    /// Commit `manifests/` afterwards.
    public var commit = true
    /// Author of the commit; `nil` takes git's configuration.
    public var author: GitAuthor?
    /// Say what would happen to each stage, and why, without running or writing anything.
    public var dryRun = false

    /// Defaults: everything, with a commit.
    public init() {}
  }

  /// What happened to one stage.
  public struct StageResult: Sendable, Codable, Hashable {
    /// `ran`, `cached` (restored from the run-cache), `up-to-date`, or with `dryRun` what would
    /// happen: `would-run`, `would-restore`.
    public enum Action: String, Sendable, Codable {
      case ran, cached
      case upToDate = "up-to-date"
      case wouldRun = "would-run"
      case wouldRestore = "would-restore"
    }
    /// The pipeline.
    public var pipeline: String
    /// The stage.
    public var stage: String
    /// What vouch did.
    public var action: Action
    /// Why the stage ran (or would run), when it did.
    public var reason: String?
    /// The run key (with `dryRun`, the key it would run under, when its inputs exist).
    public var runKey: RunKey?
    /// Output path → digest.
    public var outputs: [String: Digest]
    /// Claim name → value.
    public var claims: [String: ExactFloat]
  }

  /// What `run` did.
  public struct Report: Sendable, Codable, Hashable {
    /// Per stage, in execution order.
    public var stages: [StageResult]
    /// The commit vouch made, if any.
    public var commit: GitObjectID?
  }

  /// The workspace.
  public let workspace: Workspace

  /// Creates a runner.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Runs the selected stages.
  /// - Throws: `LineageError`/`PipelineError` for bad pipelines or a failing stage;
  ///   `StoreError` from the store; `PipelineError` (locked) when another run holds the workspace.
  public func run(_ options: Options) throws -> Report {
    // A dry run writes nothing, so it neither waits for nor blocks a running `vouch run`.
    if options.dryRun { return try runLocked(options) }
    return try WorkspaceLock.withLock(at: workspace.runLockURL) { try runLocked(options) }
  }

  /// What `vouch run` would do to every stage of every pipeline, and why (`vouch status`).
  /// - Returns: per stage, in execution order, `up-to-date`, `would-restore` or `would-run`;
  ///   empty when the workspace has no pipeline.
  /// - Throws: `LineageError`/`PipelineError` for invalid pipelines; `StoreError` from the store.
  public func stageStatus() throws -> [StageResult] {
    guard try !workspace.pipelineNames().isEmpty else { return [] }
    var options = Options()
    options.dryRun = true
    options.commit = false
    return try run(options).stages
  }

  private func runLocked(_ options: Options) throws -> Report {
    let plan = try RunPlan(workspace: workspace, stages: options.stages, pipeline: options.pipeline)
    // Built-in stages' parameters are checked before anything runs, so a typo in the last stage
    // does not cost the earlier stages' compute.
    for (_, stages) in plan.selection {
      for stage in stages { try BuiltInStages.stage(for: stage.kind)?.validate(stage) }
    }
    let repository = try workspace.manifestRepository()
    var author = options.author
    if options.commit, !options.dryRun, let repository {
      try repository.ensureCommittable()
      if author == nil { author = try repository.configuredAuthor() }
    }
    let code =
      try repository?.codeState(excluding: try plan.untrackedPaths(workspace))
      ?? CodeState(commit: nil, dirty: true)
    var results: [StageResult] = []
    var locks: [String: PipelineLock] = [:]
    for (pipeline, stages) in plan.selection {
      var lock = try workspace.lock(for: pipeline.name) ?? PipelineLock(pipeline: pipeline.name)
      var pending: Set<String> = []
      for stage in stages {
        let context = StageContext(
          stage: stage, pipeline: pipeline, locked: lock.stages[stage.name],
          listed: lock.records[stage.name], code: code)
        if options.dryRun {
          results.append(try preview(context, force: options.force, after: pending))
          if results.last?.action != .upToDate { pending.formUnion(stage.outputs.map(\.rawValue)) }
          continue
        }
        let (record, recordDigest, action, reason) = try runStage(context, force: options.force)
        lock.stages[stage.name] = record
        lock.records[stage.name] = recordDigest
        results.append(
          StageResult(
            pipeline: pipeline.name, stage: stage.name, action: action, reason: reason,
            runKey: record.runKey, outputs: record.outputs,
            claims: Dictionary(
              record.claims.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })))
      }
      locks[pipeline.name] = lock
    }
    if options.dryRun { return Report(stages: results, commit: nil) }
    // Locks are written only once every selected stage has succeeded.
    for lock in locks.values.sorted(by: { $0.pipeline < $1.pipeline }) {
      if try workspace.lock(for: lock.pipeline) != lock || lock.predatesRecordDigests {
        try workspace.write(lock)
      }
    }
    var commit: GitObjectID? = nil
    if options.commit, let repository {
      let ran = results.filter { $0.action != .upToDate }.map(\.stage)
      let names = plan.selection.map(\.0.name).joined(separator: ", ")
      commit = try repository.commitManifests(
        message: "vouch run: \(names)"
          + (ran.isEmpty ? " (up to date)" : " (\(ran.joined(separator: ", ")))"),
        author: author)
    }
    return Report(stages: results, commit: commit)
  }
}
