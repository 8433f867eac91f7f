import Foundation
import VouchCore
import VouchLineage

/// `vouch reproduce`: reruns stages from their recorded inputs, ignoring the run-cache, and gives
/// a verdict per output and per claim.
///
/// Each rerun happens in a sandbox folder under `.vouch/tmp/` that holds only the stage's inputs
/// and the outputs of stages rerun before it, so the workspace, the lock and the store's
/// references are left as they were. Data inputs (stage outputs and artifacts tracked with
/// `vouch add`) are restored from the store at their *recorded* digests; code inputs (any other
/// declared input, such as the stage's script) are copied from the working tree, so a reproduction
/// checks the current code against the recorded numbers, and the report names code inputs that
/// changed since the run.
public struct Reproducer: Sendable {
  /// What to reproduce.
  public struct Options: Sendable {
    /// The pipeline (needed only when there are several).
    public var pipeline: String?
    /// Only this stage, from its recorded inputs.
    public var stage: String?
    /// This stage and everything downstream of it.
    public var from: String?
    /// Rerun each stage as its run recorded it (command, parameters, seed, claim definitions and
    /// tolerances) instead of as the pipeline file defines it now.
    public var asRecorded = false
    /// How many stages may run at once (stages that do not read each other's outputs overlap;
    /// the verdicts and bits are the same for any number). At least 1.
    public var jobs = 1

    /// Defaults: every stage of the only pipeline.
    public init() {}
  }

  /// A verdict, for an output or a claim.
  public enum Verdict: String, Sendable, Codable, Hashable {
    /// Digests (outputs) or bit patterns (claims) match.
    case identical
    /// Not bitwise equal, but every claim that depends on it is within tolerance.
    case equivalent
    /// Outside tolerance (or an output that differs with no claim to vouch for it).
    case mismatch
  }

  /// The verdict on one output.
  public struct OutputVerdict: Sendable, Codable, Hashable {
    public var stage: String
    public var path: String
    public var verdict: Verdict
    public var recorded: Digest
    public var reproduced: Digest
    /// For a folder output that differs, the files inside it that differ from the recorded
    /// folder, when its listing is stored (see `differingFiles(path:recorded:in:)`).
    public var differingFiles: [String]?
  }

  /// The verdict on one claim.
  public struct ClaimVerdict: Sendable, Codable, Hashable {
    public var stage: String
    public var claim: String
    public var verdict: Verdict
    public var unit: String
    public var recorded: ExactFloat
    public var reproduced: ExactFloat
    /// reproduced − recorded.
    public var difference: ExactFloat
    /// `exact`, `abs 0.001`, …
    public var tolerance: String
    public var direction: ClaimDirection?
  }

  /// How one stage's rerun compares with its record.
  public struct StageNote: Sendable, Codable, Hashable {
    public var stage: String
    /// Whether the engine fingerprint differs from the recorded one.
    public var engineChanged: Bool
    /// The recorded and current fingerprints, when they differ.
    public var recordedEngine: String?
    public var currentEngine: String?
    /// Code inputs whose working-tree content differs from the recorded run's.
    public var changedCode: [String]
    /// How the pipeline file's stage differs from the recorded run (`command`, `parameter
    /// 'rows'`, `claim 'kl' tolerance`, …); empty when it does not.
    public var definitionChanges: [String] = []
    /// Whether the stage was rerun as recorded (`--as-recorded`) rather than as defined now.
    public var asRecorded = false
    /// Wall time of the rerun, in seconds.
    public var seconds: Double = 0
  }

  /// Everything `reproduce` found.
  public struct Report: Sendable, Codable, Hashable {
    public var pipeline: String
    public var stages: [StageNote]
    public var outputs: [OutputVerdict]
    public var claims: [ClaimVerdict]
    /// Wall-clock seconds of the whole reproduction (less than the stages' sum when they overlap).
    public var seconds: Double = 0

    /// Whether any output or claim mismatched.
    public var hasMismatch: Bool {
      outputs.contains { $0.verdict == .mismatch } || claims.contains { $0.verdict == .mismatch }
    }

    /// Whether a stage was rerun from a definition that differs from its recorded run.
    public var hasDefinitionChanges: Bool {
      stages.contains { !$0.asRecorded && !$0.definitionChanges.isEmpty }
    }
  }

  /// The workspace.
  public let workspace: Workspace

  /// Creates a reproducer.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Reruns the selected stages and compares them with the lock.
  /// - Throws: `PipelineError` when there is no lock, an input is missing from the store and the
  ///   workspace, or a command fails; `LineageError` for invalid manifests.
  public func reproduce(_ options: Options) throws -> Report {
    let definition = try selectPipeline(options.pipeline)
    guard let lock = try workspace.lock(for: definition.name) else {
      throw PipelineError.usage(
        "pipeline '\(definition.name)' has never run "
          + "(no \(Workspace.lockPath(for: definition.name))); run `vouch run` first")
    }
    let stages: [StageDefinition]
    if let stage = options.stage {
      stages = try definition.stagesNeeded(for: [stage]).filter { $0.name == stage }
    } else if let from = options.from {
      stages = try definition.stagesDownstream(from: from)
    } else {
      stages = try definition.executionOrder()
    }
    for stage in stages where lock.stages[stage.name] == nil {
      throw PipelineError.usage(
        "stage '\(stage.name)' has no recorded run in the lock; run `vouch run \(stage.name)` first"
      )
    }
    let sandbox = try makeSandbox()
    defer { try? FileManager.default.removeItem(at: sandbox) }
    var report = Report(pipeline: definition.name, stages: [], outputs: [], claims: [])
    // Inputs that a selected stage writes come from that stage's run, never from the store.
    let produced = Set(stages.flatMap { $0.outputs.map(\.rawValue) })
    let begun = ContinuousClock.now
    let results = StageResults(count: stages.count)
    try StageScheduler(stages).run(width: options.jobs) { index in
      let defined = stages[index]
      guard let record = lock.stages[defined.name] else { return }
      let stage = options.asRecorded ? try record.recordedStage() : defined
      // Restoring inputs writes into the shared sandbox; one stage at a time.
      let changedCode = try results.preparing {
        try prepareInputs(record, definition: definition, in: sandbox, except: produced)
      }
      let started = ContinuousClock.now
      try StageExecution(workspace: workspace, pipeline: definition.name).execute(
        stage, in: sandbox, sandboxed: true)
      let elapsed = ContinuousClock.now - started
      let current = PipelineCatalog.fingerprint(for: stage.kind)
      let changed = current != record.engine
      let note = StageNote(
        stage: stage.name, engineChanged: changed,
        recordedEngine: changed ? record.engine.summary : nil,
        currentEngine: changed ? current.summary : nil, changedCode: changedCode,
        definitionChanges: record.differences(from: defined), asRecorded: options.asRecorded,
        seconds: Double(elapsed.components.seconds)
          + Double(elapsed.components.attoseconds) * 1e-18)
      let outputs = try outputVerdicts(stage, record, in: sandbox)
      let claims = try claimVerdicts(stage, record, outputs: outputs, in: sandbox)
      results.store((note, outputs, claims), at: index)
    }
    let wall = ContinuousClock.now - begun
    report.seconds =
      Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
    for (note, outputs, claims) in results.inOrder() {
      report.stages.append(note)
      report.claims += claims
      report.outputs += outputs
    }
    settleOutputs(&report, definition: definition)
    return report
  }

  private func selectPipeline(_ name: String?) throws -> PipelineDefinition {
    if let name { return try workspace.pipeline(named: name) }
    let names = try workspace.pipelineNames()
    guard names.count == 1, let only = names.first else {
      throw PipelineError.usage(
        names.isEmpty
          ? "no pipeline in manifests/; write <name>.pipeline.toml there"
          : "several pipelines (\(names.joined(separator: ", "))); name the one to reproduce")
    }
    return try workspace.pipeline(named: only)
  }

  private func makeSandbox() throws -> URL {
    let url = workspace.storeDirectory.appendingPathComponent("tmp")
      .appendingPathComponent("reproduce-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Puts each input not produced in this reproduction into the sandbox: data at its recorded
  /// digest (from the store, or from the workspace when it still has that digest), code from the
  /// working tree.
  /// - Returns: The code inputs whose content differs from the recorded digest.
  private func prepareInputs(
    _ record: RunRecord, definition: PipelineDefinition, in sandbox: URL,
    except produced: Set<String>
  ) throws -> [String] {
    let content = StoredContent(workspace: workspace)
    let folders = try AnchoredFolders(anchor: sandbox.path)
    let digester = ArtifactDigester(root: workspace.root)
    let tracked = try workspace.allManifests().map(\.path)
    var missing: [String] = []
    var changedCode: [String] = []
    for (path, digest) in record.inputs.sorted(by: { $0.key < $1.key }) {
      if produced.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { continue }
      let destination = sandbox.appendingPathComponent(path)
      let isData =
        tracked.contains { path == $0 || path.hasPrefix($0 + "/") }
        || definition.stages.contains { $0.outputs.contains { path.hasPrefix($0.rawValue) } }
      let current = try digester.digest(of: path)
      if isData, try workspace.store.contains(digest) {
        try content.materialize(digest, at: path, in: folders)
      } else if current != nil, !isData || current == digest {
        if current != digest { changedCode.append(path) }
        try FileManager.default.createDirectory(
          at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: workspace.url(for: path), to: destination)
      } else {
        missing.append("\(path) (\(digest.short))")
      }
    }
    guard missing.isEmpty else {
      throw PipelineError(
        .integrity,
        "stage '\(record.stage)': recorded input(s) \(missing.joined(separator: ", ")) are neither "
          + "in the store nor in the workspace; fetch them from the remote that has them")
    }
    return changedCode
  }

  /// A verdict per claim of the definition that ran (the pipeline file's, or the recorded one
  /// with `--as-recorded`), with its tolerance, against the value recorded under that name.
  ///
  /// A claim read from an output that reproduced bit for bit must reproduce its recorded value
  /// bit for bit too, whatever its tolerance: otherwise the recorded value was never in those
  /// bytes, and the verdict is `mismatch`. A claim the run did not record has no verdict (the
  /// stage's note lists it as new).
  private func claimVerdicts(
    _ stage: StageDefinition, _ record: RunRecord, outputs: [OutputVerdict], in sandbox: URL
  ) throws -> [ClaimVerdict] {
    let reader = ClaimReader(root: sandbox)
    let identical = Set(outputs.filter { $0.verdict == .identical }.map(\.path))
    return try stage.claims.compactMap { claim in
      guard let recorded = record.claims.first(where: { $0.name == claim.name }) else {
        return nil
      }
      let value: ExactFloat
      do { value = try reader.value(of: claim, stage: stage.name) } catch let error as LineageError
      {
        // The run wrote a readable number here; the rerun did not.
        throw PipelineError(
          .mismatch, "\(error.message); the rerun did not reproduce what the run recorded")
      }
      let bitwise = value.value.bitPattern == recorded.value.value.bitPattern
      let fromIdenticalOutput = identical.contains {
        claim.artifact.rawValue == $0 || claim.artifact.rawValue.hasPrefix($0 + "/")
      }
      let verdict: Verdict =
        bitwise
        ? .identical
        : !fromIdenticalOutput
          && claim.tolerance.admits(
            recorded: recorded.value.value, reproduced: value.value, direction: claim.direction)
          ? .equivalent : .mismatch
      return ClaimVerdict(
        stage: stage.name, claim: claim.name, verdict: verdict, unit: claim.unit,
        recorded: recorded.value, reproduced: value,
        difference: ExactFloat(value.value - recorded.value.value) ?? recorded.value,
        tolerance: claim.tolerance.summary, direction: claim.direction)
    }
  }

  private func outputVerdicts(_ stage: StageDefinition, _ record: RunRecord, in sandbox: URL)
    throws -> [OutputVerdict]
  {
    let digester = ArtifactDigester(root: sandbox)
    return try record.outputs.sorted(by: { $0.key < $1.key }).map { path, recorded in
      let reproduced = try digester.digest(of: path) ?? Digest.of(Data())
      return OutputVerdict(
        stage: stage.name, path: path, verdict: reproduced == recorded ? .identical : .mismatch,
        recorded: recorded, reproduced: reproduced,
        differingFiles: reproduced == recorded
          ? nil : differingFiles(path: path, recorded: recorded, in: sandbox))
    }
  }

  /// An output whose digest differs is `equivalent` when at least one claim depends on it (read
  /// from it, or from a stage downstream of its stage) and all such claims are within tolerance.
  private func settleOutputs(_ report: inout Report, definition: PipelineDefinition) {
    for index in report.outputs.indices where report.outputs[index].verdict != .identical {
      let stage = report.outputs[index].stage
      let downstream = Set(((try? definition.stagesDownstream(from: stage)) ?? []).map(\.name))
      let dependent = report.claims.filter { downstream.contains($0.stage) }
      if !dependent.isEmpty, dependent.allSatisfy({ $0.verdict != .mismatch }) {
        report.outputs[index].verdict = .equivalent
      }
    }
  }
}

/// Each stage's note and verdicts, filled by whichever worker ran it, read back in execution
/// order; and the lock that keeps input restoration to one stage at a time.
private final class StageResults: @unchecked Sendable {
  typealias Entry = (
    note: Reproducer.StageNote, outputs: [Reproducer.OutputVerdict],
    claims: [Reproducer.ClaimVerdict]
  )
  private let lock = NSLock()
  private let inputs = NSLock()
  private var entries: [Entry?]

  init(count: Int) { entries = Array(repeating: nil, count: count) }

  func preparing<T>(_ body: () throws -> T) rethrows -> T {
    try inputs.withLock { try body() }
  }

  func store(_ entry: Entry, at index: Int) { lock.withLock { entries[index] = entry } }

  func inOrder() -> [Entry] { lock.withLock { entries.compactMap { $0 } } }
}
