// One activating example of a feature (METHOD.md §6.1): where it fired, how strongly, and the
// tokens around it that a reader (or the rule-based classifier) looks at.

/// A position at which a feature fired (`f > 0`), with its context.
public struct FeatureExample: Hashable, Sendable {
  /// The index of the sequence in the collected list (skipped sequences keep their index).
  public var sequence: Int
  /// The token position within the sequence.
  public var position: Int
  /// The feature's activation `f` there (> 0).
  public var activation: Float
  /// The id of the activating token (the token at ``position``).
  public var token: Int
  /// The region of ``position``.
  public var region: FeatureRegion
  /// Up to ``FeatureCollector/contextBefore`` ids before ``position``, oldest first.
  public var before: [Int]
  /// Up to ``FeatureCollector/contextAfter`` ids after ``position``.
  public var after: [Int]

  /// An example with the given fields.
  public init(
    sequence: Int, position: Int, activation: Float, token: Int, region: FeatureRegion,
    before: [Int], after: [Int]
  ) {
    self.sequence = sequence
    self.position = position
    self.activation = activation
    self.token = token
    self.region = region
    self.before = before
    self.after = after
  }

  /// The id right after the activating token, or `nil` at the end of the sequence.
  public var nextToken: Int? { after.first }
}

/// Where an example fired, before its context is cut out of the sequence.
struct FeatureExampleSite: Hashable, Sendable {
  /// The sequence index.
  var sequence: Int32
  /// The position in the sequence.
  var position: Int32
  /// The activation (> 0).
  var activation: Float

  /// Whether `self` ranks before `other` among top examples: larger activation first, then the
  /// earlier sequence, then the earlier position (a total order, so the top list is unique).
  func ranks(before other: FeatureExampleSite) -> Bool {
    if activation != other.activation { return activation > other.activation }
    if sequence != other.sequence { return sequence < other.sequence }
    return position < other.position
  }
}
