import Foundation
import VouchCore
import VouchLineage

/// The outcome of the last `vouch reproduce` or `vouch verify` of one pipeline, kept in
/// `.vouch/verdicts/<pipeline>.json` so that `vouch report` can show it.
///
/// Only time-independent facts are kept (no dates, no wall times), so checking the same commit
/// twice writes the same bytes. The file is workspace-local state, like the store: it is not
/// committed, and a clone starts with none ("never checked"). Each stage entry carries the run key
/// of the lock entry it checked, so a stage that ran again since its check shows as not checked.
public struct VerdictRecord: Sendable, Codable, Hashable {
  /// The schema version this build writes and reads.
  public static let currentSchemaVersion = 1

  /// Which command produced a verdict.
  public enum Check: String, Sendable, Codable, Hashable {
    /// `vouch reproduce`: the stage was rerun and its outputs and claims compared.
    case reproduce
    /// `vouch verify`: the claims were re-read from the stored outputs (nothing rerun).
    case verify
  }

  /// The verdict on one output.
  public struct Output: Sendable, Codable, Hashable {
    /// `identical`, `equivalent` or `mismatch`.
    public var verdict: Reproducer.Verdict
    /// The digest the lock records.
    public var recorded: Digest
    /// The digest the rerun produced (`reproduce` only).
    public var reproduced: Digest?

    /// Creates an entry.
    public init(verdict: Reproducer.Verdict, recorded: Digest, reproduced: Digest?) {
      self.verdict = verdict
      self.recorded = recorded
      self.reproduced = reproduced
    }
  }

  /// The verdict on one claim.
  public struct Claim: Sendable, Codable, Hashable {
    /// `identical`, `equivalent` or `mismatch`.
    public var verdict: Reproducer.Verdict
    /// The value the lock records.
    public var recorded: ExactFloat
    /// The value the check found (rerun, or re-read from the stored output); absent when it
    /// could not be read.
    public var reproduced: ExactFloat?
    /// The tolerance it was judged with (`exact`, `abs 0.001`, …).
    public var tolerance: String
    /// Why it is a mismatch, when the check said so in words (`verify`).
    public var problem: String?

    /// Creates an entry.
    public init(
      verdict: Reproducer.Verdict, recorded: ExactFloat, reproduced: ExactFloat?,
      tolerance: String, problem: String? = nil
    ) {
      self.verdict = verdict
      self.recorded = recorded
      self.reproduced = reproduced
      self.tolerance = tolerance
      self.problem = problem
    }
  }

  /// What one check found for one stage.
  public struct Stage: Sendable, Codable, Hashable {
    /// The command that checked it.
    public var command: Check
    /// The manifests commit (git HEAD) it checked; `nil` outside git.
    public var commit: GitObjectID?
    /// The run key of the lock entry it checked.
    public var runKey: RunKey
    /// Output path → verdict.
    public var outputs: [String: Output]
    /// Claim name → verdict.
    public var claims: [String: Claim]

    /// Creates an entry.
    public init(
      command: Check, commit: GitObjectID?, runKey: RunKey, outputs: [String: Output],
      claims: [String: Claim]
    ) {
      self.command = command
      self.commit = commit
      self.runKey = runKey
      self.outputs = outputs
      self.claims = claims
    }
  }

  /// Always ``currentSchemaVersion`` once decoded.
  public var schemaVersion: Int
  /// The pipeline.
  public var pipeline: String
  /// The command of the latest check.
  public var command: Check
  /// The manifests commit of the latest check.
  public var commit: GitObjectID?
  /// Stage name → the latest check of that stage.
  public var stages: [String: Stage]

  /// Creates a record.
  public init(pipeline: String, command: Check, commit: GitObjectID?, stages: [String: Stage]) {
    schemaVersion = Self.currentSchemaVersion
    self.pipeline = pipeline
    self.command = command
    self.commit = commit
    self.stages = stages
  }

  /// This record with `newer`'s stages laid over it: a check of some stages (`reproduce --stage`)
  /// replaces their entries and keeps the others', except those whose run key is no longer in
  /// `lock` (the stage ran again, so its old verdict says nothing about it).
  public func merging(_ newer: VerdictRecord, lock: PipelineLock) -> VerdictRecord {
    var merged = newer
    for (stage, entry) in stages where merged.stages[stage] == nil {
      if lock.stages[stage]?.runKey == entry.runKey { merged.stages[stage] = entry }
    }
    return merged
  }

  /// Decodes a record, refusing an unknown schema version.
  /// - Throws: `PipelineError` (integrity) naming `file`.
  public static func decode(_ data: Data, file: String) throws -> VerdictRecord {
    let record: VerdictRecord
    do { record = try JSONDecoder().decode(VerdictRecord.self, from: data) } catch {
      throw PipelineError.integrity(
        "\(file) is not a verdict record (\(Workspace.reason(error))); delete it and run "
          + "`vouch verify` or `vouch reproduce` again")
    }
    guard record.schemaVersion == currentSchemaVersion else {
      throw PipelineError.usage(
        "\(file) has schema version \(record.schemaVersion), which this vouch does not know "
          + "(it reads \(currentSchemaVersion)); delete it and check again")
    }
    return record
  }
}
