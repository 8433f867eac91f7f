import Foundation
import VouchCore

/// What one run of a stage consumed and produced.
///
/// The lock keeps the latest record of each stage without times (so two clones that run the same
/// pipeline write byte-identical locks); `manifests/runs/<run key>.json` keeps the full record with
/// its start and wall time.
public struct RunRecord: Hashable, Sendable, Codable {
  /// Always ``LineageSchema/runRecordVersion`` once decoded.
  public var schemaVersion: Int
  /// The pipeline's name.
  public var pipeline: String
  /// The stage's name.
  public var stage: String
  /// The stage kind.
  public var kind: StageKind
  /// The shell command of a `command` stage.
  public var command: String?
  /// Input path → digest (a file's SHA-256, or a folder's listing digest).
  public var inputs: [String: Digest]
  /// The parameters, floats as exact strings.
  public var parameters: [String: ParameterValue]
  /// The seed, if any.
  public var seed: UInt64?
  /// Code commit and dirty state.
  public var code: CodeState
  /// What computed the run.
  public var engine: EngineFingerprint
  /// Output path → digest.
  public var outputs: [String: Digest]
  /// The claims read from the outputs.
  public var claims: [ClaimRecord]
  /// The key computed from the fields above (not from outputs, claims or times).
  public var runKey: RunKey
  /// When the run started (ISO 8601, UTC); absent in the lock.
  public var startedAt: String?
  /// How long it took, in seconds; absent in the lock.
  public var wallTimeSeconds: ExactFloat?

  /// Creates a record and computes its run key.
  /// - Throws: `CoreError` if a parameter cannot be written canonically (it always can).
  public init(
    pipeline: String, stage: String, kind: StageKind, command: String?,
    inputs: [String: Digest], parameters: [String: ParameterValue], seed: UInt64?,
    code: CodeState, engine: EngineFingerprint, outputPaths: [String]
  ) throws {
    schemaVersion = LineageSchema.runRecordVersion
    self.pipeline = pipeline
    self.stage = stage
    self.kind = kind
    self.command = command
    self.inputs = inputs
    self.parameters = parameters
    self.seed = seed
    self.code = code
    self.engine = engine
    outputs = Dictionary(uniqueKeysWithValues: outputPaths.map { ($0, Digest.placeholder) })
    claims = []
    runKey = RunKey(Digest.placeholder)
    runKey = try computedRunKey()
  }

  /// The record as the lock keeps it: without start and wall time.
  public var withoutTimes: RunRecord {
    var copy = self
    copy.startedAt = nil
    copy.wallTimeSeconds = nil
    return copy
  }

  /// The SHA-256 of the record's canonical compact JSON without its times: what the lock lists
  /// for the stage's record file. Times are left out because they differ between two clones
  /// running the same pipeline, and they are informational (no check or claim rests on them).
  /// - Throws: `CoreError` if the record cannot be encoded (it always can).
  public func contentDigest() throws -> Digest {
    try CanonicalJSON.digest(of: withoutTimes)
  }

  /// The output paths, sorted.
  public var outputPaths: [String] { outputs.keys.sorted() }

  /// Every digest the run names: its inputs and its outputs.
  public var referencedDigests: Set<Digest> { Set(inputs.values).union(outputs.values) }

  /// Recomputes the run key from the record's fields.
  ///
  /// Hashed: schema version, pipeline, stage, kind, command, input digests, parameters, seed, code
  /// state, engine fingerprint and the output *paths* (a run key must say which files it
  /// restores). Not hashed: output digests, claims, times.
  /// - Throws: `CoreError` if the material cannot be encoded (it always can).
  public func computedRunKey() throws -> RunKey {
    let material = KeyMaterial(
      schemaVersion: schemaVersion, pipeline: pipeline, stage: stage, kind: kind,
      command: command, inputs: inputs, parameters: parameters, seed: seed.map(String.init),
      code: code, engine: engine, outputPaths: outputPaths)
    return RunKey(try CanonicalJSON.digest(of: material))
  }

  private struct KeyMaterial: Encodable {
    var schemaVersion: Int
    var pipeline: String
    var stage: String
    var kind: StageKind
    var command: String?
    var inputs: [String: Digest]
    var parameters: [String: ParameterValue]
    /// As a string: a 64-bit seed does not fit a JSON number that every reader keeps exact.
    var seed: String?
    var code: CodeState
    var engine: EngineFingerprint
    var outputPaths: [String]
  }
}

extension Digest {
  /// The digest of nothing, standing in for outputs a run has not produced yet.
  static let placeholder = Digest.of(Data())
}
