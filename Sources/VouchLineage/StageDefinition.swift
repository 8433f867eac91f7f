/// What a stage runs: a shell `command` or a built-in operation registered by a later module.
public struct StageKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
  /// The name used in pipeline files.
  public let rawValue: String

  /// Wraps a kind name.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// A shell command run with `/bin/sh -c`, like DVC's `cmd`.
  public static let command = StageKind(rawValue: "command")

  /// The name.
  public var description: String { rawValue }
}

/// A number computed from an artifact by vouch itself rather than read from a JSON file.
public struct BuiltInMetric: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible
{
  /// The name used in pipeline files.
  public let rawValue: String

  /// Wraps a metric name.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// The artifact's size in bytes.
  public static let sizeBytes = BuiltInMetric(rawValue: "size-bytes")
  /// The number of newline-terminated lines in the artifact.
  public static let lineCount = BuiltInMetric(rawValue: "line-count")

  /// The name.
  public var description: String { rawValue }
}

/// The stage kinds and built-in metrics a pipeline file may name. Later modules (the engine's
/// built-in operations) extend the defaults.
public struct PipelineVocabulary: Sendable {
  /// Stage kinds besides nothing: `command` plus registered built-ins.
  public var kinds: Set<StageKind>
  /// Metrics a claim may use instead of a JSON path.
  public var metrics: Set<BuiltInMetric>

  /// Creates a vocabulary.
  public init(kinds: Set<StageKind>, metrics: Set<BuiltInMetric>) {
    self.kinds = kinds
    self.metrics = metrics
  }

  /// `command` stages and the size/line metrics.
  public static let standard = PipelineVocabulary(
    kinds: [.command], metrics: [.sizeBytes, .lineCount])
}

/// Where a claim's number comes from.
public enum ClaimSource: Hashable, Sendable {
  /// A number inside a JSON artifact.
  case jsonPath(JSONPath)
  /// A metric vouch computes from the artifact.
  case metric(BuiltInMetric)
}

/// A number a stage reports, as declared in the pipeline file.
public struct ClaimDefinition: Hashable, Sendable {
  /// Unique within the pipeline.
  public var name: String
  /// The unit (`nats`, `tokens`, `%`, or empty for a plain ratio).
  public var unit: String
  /// The artifact the number is read from: one of the stage's outputs.
  public var artifact: WorkspacePath
  /// How the number is read from it.
  public var source: ClaimSource
  /// How far a reproduction may drift.
  public var tolerance: Tolerance
  /// For one-sided claims, which direction is always acceptable.
  public var direction: ClaimDirection?
}

/// One stage of a pipeline, as declared in the pipeline file.
public struct StageDefinition: Hashable, Sendable {
  /// Unique within the pipeline; letters, digits, `-` and `_`.
  public var name: String
  /// What the stage runs.
  public var kind: StageKind
  /// The shell command (for `command` stages).
  public var command: String?
  /// Files or folders the stage reads: tracked artifacts, code, or other stages' outputs.
  public var inputs: [WorkspacePath]
  /// Named parameters (hashed into the run key; given to commands as `VOUCH_PARAM_<NAME>`).
  public var parameters: [String: ParameterValue]
  /// The stage's seed, if it is random.
  public var seed: UInt64?
  /// Files or folders the stage writes.
  public var outputs: [WorkspacePath]
  /// Numbers the stage reports.
  public var claims: [ClaimDefinition]
}
