// The knobs of an attribution graph, with METHOD.md §6.4's defaults.

/// How an attribution graph is built and pruned (METHOD.md §6.4 and its conventions list).
public struct AttributionSettings: Sendable, Hashable {
  /// At most this many logit targets (default 10).
  public var maxLogits = 10
  /// Logit targets are taken, most probable first, until their cumulative probability is
  /// `≥` this (default 0.95, inclusive).
  public var logitProbability = 0.95
  /// At most this many feature nodes (default 10,000); more active features are visited in
  /// order of estimated influence and the rest get no node.
  public var maxFeatureNodes = 10_000
  /// Feature rows attributed per batch between influence updates (default 16).
  public var batchSize = 16
  /// The influence ranking is recomputed after this many batches (default 4).
  public var rerankInterval = 4
  /// Pruning keeps the nodes holding this share of total influence (default 0.8).
  public var nodeThreshold = 0.8
  /// Pruning keeps the edges holding this share of total edge score (default 0.98).
  public var edgeThreshold = 0.98

  /// The defaults.
  public init() {}

  /// Row sums below this are clamped when `|A|` is row-normalised for the budget ranking.
  public static let rankingRowSumFloor = 1e-8
  /// Row sums below this are clamped when `|A|` is row-normalised for pruning
  /// (circuit-tracer's `normalize_matrix`).
  public static let pruningRowSumFloor = 1e-10
}
