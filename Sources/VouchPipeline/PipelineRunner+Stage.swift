import Foundation
import VouchCore
import VouchLineage
import VouchStore

extension PipelineRunner {
  /// One stage to bring up to date, with what the lock says of it.
  struct StageContext {
    var stage: StageDefinition
    var pipeline: PipelineDefinition
    /// The lock's entry for the stage.
    var locked: RunRecord?
    /// The digest the lock lists for that entry's record file.
    var listed: Digest?
    var code: CodeState
  }

  func runStage(_ context: StageContext, force: Bool) throws -> (
    RunRecord, Digest, StageResult.Action, String?
  ) {
    let stage = context.stage
    let digester = ArtifactDigester(root: workspace.root)
    let inputs = try inputDigests(context, digester: digester)
    var record = try newRecord(context, inputs: inputs)
    let reason = try self.reason(context, record: record, digester: digester)
    if !force, reason == nil, let locked = context.locked {
      // The workspace holds exactly the recorded outputs: store any the store lost (moved to
      // quarantine when found damaged), so an up-to-date run heals them.
      try ensureStored(locked.outputs)
      return (locked, try recordFile(of: locked, listed: context.listed), .upToDate, nil)
    }
    if !force, let cached = try workspace.cachedRun(record.runKey),
      try StoredContent(workspace: workspace).restore(cached.outputs)
    {
      try ensureStored(inputs)
      let outputs = try recordOutputs(stage)
      guard outputs == cached.outputs else {
        throw PipelineError.integrity(
          "the run-cache entry \(Workspace.runRecordPath(for: cached.runKey)) restored outputs "
            + "that do not hash to what it records; restore it from git or delete it")
      }
      // Claims come from the restored bytes and today's definitions, never from the record.
      var restored = cached
      restored.claims = try readClaims(stage, digester: digester)
      if restored != cached { try workspace.writeRunRecord(restored) }
      let digest = try recordFile(of: restored.withoutTimes, listed: nil)
      return (restored.withoutTimes, digest, .cached, reason ?? "forced")
    }
    let started = Date()
    try StageExecution(workspace: workspace, pipeline: context.pipeline.name).execute(
      stage, in: workspace.root)
    // Claims are read before anything is stored, so a bad claim leaves the store as it was.
    let claims = try readClaims(stage, digester: digester)
    try ensureStored(inputs)
    record.outputs = try recordOutputs(stage)
    for claim in claims {
      let stored = try ClaimDerivation(workspace: workspace).sourceDigest(
        of: claim.source, outputs: record.outputs)
      guard stored == claim.sourceDigest else {
        throw PipelineError.failure(
          "stage '\(stage.name)': \(claim.source) changed while vouch recorded it; run again once "
            + "nothing else writes to it")
      }
    }
    record.claims = claims
    record.startedAt = RunPlan.timestamp(started)
    record.wallTimeSeconds = ExactFloat((Date().timeIntervalSince(started) * 1000).rounded() / 1000)
    try workspace.writeRunRecord(record)
    return (
      record.withoutTimes, try recordFile(of: record.withoutTimes, listed: nil), .ran,
      force ? "forced" : reason
    )
  }

  /// What `runStage` would do, and why, without doing it (`vouch run --dry-run`).
  /// - Parameters:
  ///   - context: the stage and what the lock says of it.
  ///   - force: whether the stage would be recomputed regardless.
  ///   - pending: outputs of earlier stages of this plan that would be rebuilt.
  /// - Returns: the stage's would-be result, with the reason.
  /// - Throws: `StoreError` and `LineageError` from reading the store and the run-cache.
  func preview(_ context: StageContext, force: Bool, after pending: Set<String>) throws
    -> StageResult
  {
    let stage = context.stage
    func result(_ action: StageResult.Action, _ reason: String?, _ record: RunRecord?)
      -> StageResult
    {
      StageResult(
        pipeline: context.pipeline.name, stage: stage.name, action: action, reason: reason,
        runKey: record?.runKey, outputs: record?.outputs ?? [:],
        claims: Dictionary(
          (record?.claims ?? []).map { ($0.name, $0.value) },
          uniquingKeysWith: { first, _ in first }))
    }
    if let input = stage.inputs.first(where: { input in
      pending.contains { input.rawValue == $0 || input.rawValue.hasPrefix($0 + "/") }
    }) {
      return result(.wouldRun, "input \(input) is rebuilt by an earlier stage", nil)
    }
    let digester = ArtifactDigester(root: workspace.root)
    let inputs: [String: Digest]
    do { inputs = try inputDigests(context, digester: digester) } catch let error as PipelineError {
      return result(.wouldRun, error.message, nil)
    }
    let record = try newRecord(context, inputs: inputs)
    let reason = try self.reason(context, record: record, digester: digester)
    if !force, reason == nil { return result(.upToDate, nil, context.locked) }
    if !force, let cached = try workspace.cachedRun(record.runKey),
      try cached.outputs.values.allSatisfy({ try workspace.store.contains($0) })
    {
      return result(.wouldRestore, reason, cached)
    }
    var planned = record
    planned.outputs = [:]
    return result(.wouldRun, force ? "forced" : reason, planned)
  }

  /// The digest of each declared input as it is now in the workspace.
  func inputDigests(_ context: StageContext, digester: ArtifactDigester) throws
    -> [String: Digest]
  {
    var inputs: [String: Digest] = [:]
    for input in context.stage.inputs {
      guard let digest = try digester.digest(of: input.rawValue) else {
        let producer = context.pipeline.producer(of: input).map { "run stage '\($0.name)'" }
        throw PipelineError.usage(
          "stage '\(context.stage.name)' of pipeline '\(context.pipeline.name)': input "
            + "'\(input)' does not exist; " + (producer ?? "create it or `vouch checkout` it"))
      }
      inputs[input.rawValue] = digest
    }
    return inputs
  }

  func newRecord(_ context: StageContext, inputs: [String: Digest]) throws -> RunRecord {
    let stage = context.stage
    return try RunRecord(
      pipeline: context.pipeline.name, stage: stage.name, kind: stage.kind,
      command: stage.command, inputs: inputs, parameters: stage.parameters, seed: stage.seed,
      code: context.code, engine: PipelineCatalog.fingerprint(for: stage.kind),
      outputPaths: stage.outputs.map(\.rawValue))
  }

  /// Why the stage is not up to date, or `nil` when it is.
  func reason(_ context: StageContext, record: RunRecord, digester: ArtifactDigester)
    throws -> String?
  {
    guard let locked = context.locked else { return "never ran" }
    let changes = locked.differences(from: context.stage)
    if !changes.isEmpty { return changes.joined(separator: "; ") + " changed" }
    if locked.runKey != record.runKey {
      if locked.inputs != record.inputs {
        let changed = record.inputs.keys.sorted().filter { locked.inputs[$0] != record.inputs[$0] }
        return "input \(changed.joined(separator: ", ")) changed"
      }
      if locked.code != record.code { return "code changed" }
      if locked.engine != record.engine { return "engine changed" }
      return "run key changed"
    }
    for (path, digest) in locked.outputs.sorted(by: { $0.key < $1.key })
    where try digester.digest(of: path) != digest {
      return "output \(path) differs from the lock"
    }
    return nil
  }

  /// The claims of `stage`, read from its outputs in the workspace.
  func readClaims(_ stage: StageDefinition, digester: ArtifactDigester) throws
    -> [ClaimRecord]
  {
    let reader = ClaimReader(root: workspace.root)
    return try stage.claims.map { claim in
      let value = try reader.value(of: claim, stage: stage.name)
      let digest = try digester.digest(of: claim.artifact.rawValue) ?? Digest.of(Data())
      return ClaimRecord(definition: claim, value: value, sourceDigest: digest)
    }
  }

  /// The content digest of the run record file of `record` (a lock entry), which must hold that
  /// entry (and match `listed` when given); the file is written from the entry when it is
  /// missing.
  /// - Throws: `PipelineError` (integrity) when the file disagrees with the lock.
  func recordFile(of record: RunRecord, listed: Digest?) throws -> Digest {
    if let digest = try workspace.recordFileDigest(of: record, listed: listed) { return digest }
    try workspace.writeRunRecord(record)
    return try record.contentDigest()
  }

  /// Stores workspace content at its recorded digest unless the store holds it: a run's inputs,
  /// so `vouch reproduce` can restore exactly these bytes, and up-to-date outputs the store lost.
  func ensureStored(_ inputs: [String: Digest]) throws {
    let content = StoredContent(workspace: workspace)
    for (path, digest) in inputs.sorted(by: { $0.key < $1.key }) {
      try content.ensureStored(path, digest: digest)
    }
  }

  /// Stores the stage's outputs and records them as artifacts (manifest + `.gitignore`), of the
  /// kind a built-in stage declares (`adapter-features` writes `labels`) or else detected.
  func recordOutputs(_ stage: StageDefinition) throws -> [String: Digest] {
    let outcomes = try ArtifactAdder(workspace: workspace).add(
      stage.outputs.map(\.rawValue), kind: BuiltInStages.stage(for: stage.kind)?.outputKind,
      currentDirectory: workspace.root)
    return Dictionary(uniqueKeysWithValues: outcomes.map { ($0.manifest.path, $0.manifest.digest) })
  }
}
