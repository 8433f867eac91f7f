import VouchCore

/// A claim as recorded after a run: the number, where it was read, and how to check it.
public struct ClaimRecord: Hashable, Sendable, Codable {
  /// The claim's name, unique within its pipeline.
  public var name: String
  /// The value, exact.
  public var value: ExactFloat
  /// The unit.
  public var unit: String
  /// The artifact it was read from.
  public var source: WorkspacePath
  /// The digest of the file it was read from.
  public var sourceDigest: Digest
  /// The JSON path, when read from JSON.
  public var jsonPath: String?
  /// The built-in metric, when computed by vouch.
  public var metric: BuiltInMetric?
  /// How far a reproduction may drift.
  public var tolerance: Tolerance
  /// One-sided claims: the direction that is always acceptable.
  public var direction: ClaimDirection?
  /// ``valueDigest(of:)`` of ``value``: lets `verify` catch a hand-edited number.
  public var valueDigest: Digest

  /// Records `definition` with the `value` read from `sourceDigest`.
  public init(definition: ClaimDefinition, value: ExactFloat, sourceDigest: Digest) {
    name = definition.name
    self.value = value
    unit = definition.unit
    source = definition.artifact
    self.sourceDigest = sourceDigest
    switch definition.source {
    case .jsonPath(let path): jsonPath = path.description
    case .metric(let builtIn): metric = builtIn
    }
    tolerance = definition.tolerance
    direction = definition.direction
    valueDigest = ClaimRecord.valueDigest(of: value)
  }

  /// The SHA-256 of the canonical JSON of `value` (its exact string, quoted).
  public static func valueDigest(of value: ExactFloat) -> Digest {
    Digest.of(Array("\"\(value.text)\"".utf8))
  }

  /// Whether ``valueDigest`` matches ``value``.
  public var isConsistent: Bool { valueDigest == ClaimRecord.valueDigest(of: value) }
}
