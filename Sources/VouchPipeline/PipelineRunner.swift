import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch run`: runs out-of-date stages in dependency order, records runs, outputs and claims,
/// and commits `manifests/`.
///
/// A stage is up to date when its run key and its outputs' digests match the lock. Otherwise a
/// run key found in the run-cache (`manifests/runs/`) whose outputs are all in the store is
/// restored instead of recomputed; else the command runs. A failing command stops the run with its
/// exit status and the tail of its standard error, and leaves every lock as it was.
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

    /// Defaults: everything, with a commit.
    public init() {}
  }

  /// What happened to one stage.
  public struct StageResult: Sendable, Codable, Hashable {
    /// `ran`, `cached` (restored from the run-cache) or `up-to-date`.
    public enum Action: String, Sendable, Codable { case ran, cached, upToDate = "up-to-date" }
    /// The pipeline.
    public var pipeline: String
    /// The stage.
    public var stage: String
    /// What vouch did.
    public var action: Action
    /// The run key.
    public var runKey: RunKey
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
  ///   `StoreError` from the store.
  public func run(_ options: Options) throws -> Report {
    let plan = try RunPlan(workspace: workspace, stages: options.stages, pipeline: options.pipeline)
    // Built-in stages' parameters are checked before anything runs, so a typo in the last stage
    // does not cost the earlier stages' compute.
    for (_, stages) in plan.selection {
      for stage in stages { try BuiltInStages.stage(for: stage.kind)?.validate(stage) }
    }
    let repository = try workspace.manifestRepository()
    var author = options.author
    if options.commit, let repository {
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
      for stage in stages {
        let (record, action) = try runStage(
          stage, of: pipeline, locked: lock.stages[stage.name], code: code, force: options.force)
        lock.stages[stage.name] = record
        results.append(
          StageResult(
            pipeline: pipeline.name, stage: stage.name, action: action, runKey: record.runKey,
            outputs: record.outputs,
            claims: Dictionary(uniqueKeysWithValues: record.claims.map { ($0.name, $0.value) })))
      }
      locks[pipeline.name] = lock
    }
    // Locks are written only once every selected stage has succeeded.
    for lock in locks.values.sorted(by: { $0.pipeline < $1.pipeline }) {
      if try workspace.lock(for: lock.pipeline) != lock { try workspace.write(lock) }
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

  private func runStage(
    _ stage: StageDefinition, of pipeline: PipelineDefinition, locked: RunRecord?,
    code: CodeState, force: Bool
  ) throws -> (RunRecord, StageResult.Action) {
    let digester = ArtifactDigester(root: workspace.root)
    var inputs: [String: Digest] = [:]
    for input in stage.inputs {
      guard let digest = try digester.digest(of: input.rawValue) else {
        let producer = pipeline.producer(of: input).map { "run stage '\($0.name)'" }
        throw PipelineError.usage(
          "stage '\(stage.name)' of pipeline '\(pipeline.name)': input '\(input)' does not exist; "
            + (producer ?? "create it or `vouch checkout` it"))
      }
      inputs[input.rawValue] = digest
    }
    var record = try RunRecord(
      pipeline: pipeline.name, stage: stage.name, kind: stage.kind, command: stage.command,
      inputs: inputs, parameters: stage.parameters, seed: stage.seed, code: code,
      engine: PipelineCatalog.fingerprint(for: stage.kind),
      outputPaths: stage.outputs.map(\.rawValue))
    if !force, let locked, locked.runKey == record.runKey,
      try locked.outputs.allSatisfy({ try digester.digest(of: $0.key) == $0.value })
    {
      return (locked, .upToDate)
    }
    if !force, let cached = try workspace.cachedRun(record.runKey),
      try StoredContent(workspace: workspace).restore(cached.outputs)
    {
      try storeInputs(inputs)
      _ = try recordOutputs(stage)
      return (cached.withoutTimes, .cached)
    }
    let started = Date()
    try StageExecution(workspace: workspace, pipeline: pipeline.name).execute(
      stage, in: workspace.root)
    // Claims are read before anything is stored, so a bad claim leaves the store as it was.
    let reader = ClaimReader(root: workspace.root)
    var claims: [ClaimRecord] = []
    for claim in stage.claims {
      let value = try reader.value(of: claim, stage: stage.name)
      let digest = try digester.digest(of: claim.artifact.rawValue) ?? Digest.of(Data())
      claims.append(ClaimRecord(definition: claim, value: value, sourceDigest: digest))
    }
    try storeInputs(inputs)
    record.outputs = try recordOutputs(stage)
    record.claims = claims
    record.startedAt = RunPlan.timestamp(started)
    record.wallTimeSeconds = ExactFloat((Date().timeIntervalSince(started) * 1000).rounded() / 1000)
    try workspace.writeRunRecord(record)
    return (record.withoutTimes, .ran)
  }

  /// Stores the inputs a run used, so `vouch reproduce` can restore exactly these bytes.
  private func storeInputs(_ inputs: [String: Digest]) throws {
    let content = StoredContent(workspace: workspace)
    for (path, digest) in inputs.sorted(by: { $0.key < $1.key }) {
      try content.ensureStored(path, digest: digest)
    }
  }

  /// Stores the stage's outputs and records them as artifacts (manifest + `.gitignore`).
  private func recordOutputs(_ stage: StageDefinition) throws -> [String: Digest] {
    let outcomes = try ArtifactAdder(workspace: workspace).add(
      stage.outputs.map(\.rawValue), kind: nil, currentDirectory: workspace.root)
    return Dictionary(uniqueKeysWithValues: outcomes.map { ($0.manifest.path, $0.manifest.digest) })
  }
}
