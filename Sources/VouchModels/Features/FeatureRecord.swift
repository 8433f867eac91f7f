// What METHOD.md §6.1 records per (layer, feature): activation count and frequency, counts per
// region, top and random activating examples, and the logit lens.

/// The statistics of one adapter feature over the collected sequences.
public struct FeatureRecord: Hashable, Sendable {
  /// The layer `ℓ`.
  public var layer: Int
  /// The feature index `i` within the layer, `0 ..< F`.
  public var index: Int
  /// Tokens with `f > 0`.
  public var count: Int
  /// Per region (``FeatureRegion/all`` order, `[17]`), tokens of that region with `f > 0`.
  public var regionCounts: [Int]
  /// Up to ``FeatureCollector/topExampleCount`` examples, highest activation first (ties: the
  /// earlier sequence, then the earlier position).
  public var topExamples: [FeatureExample]
  /// Up to ``FeatureCollector/randomExampleCount`` reservoir-sampled examples, in sequence
  /// order.
  public var randomExamples: [FeatureExample]
  /// `W_U · d_i`.
  public var logitLens: FeatureLogitLens

  /// A record with the given fields.
  public init(
    layer: Int, index: Int, count: Int, regionCounts: [Int], topExamples: [FeatureExample],
    randomExamples: [FeatureExample], logitLens: FeatureLogitLens
  ) {
    self.layer = layer
    self.index = index
    self.count = count
    self.regionCounts = regionCounts
    self.topExamples = topExamples
    self.randomExamples = randomExamples
    self.logitLens = logitLens
  }

  /// `count / tokens`: the activation frequency ("density") over `tokens` collected tokens (0
  /// when there are none).
  public func frequency(tokens: Int) -> Double {
    tokens > 0 ? Double(count) / Double(tokens) : 0
  }

  /// Per region, `regionCounts[r] / regionTokens[r]` (0 for a region with no tokens).
  /// - Parameter regionTokens: tokens per region, `[17]`.
  /// - Returns: `[17]` densities.
  public func regionDensities(regionTokens: [Int]) -> [Double] {
    zip(regionCounts, regionTokens).map { $1 > 0 ? Double($0) / Double($1) : 0 }
  }

  /// The Cantor pairing id `c(ℓ, i) = (ℓ + i)(ℓ + i + 1)/2 + i` METHOD §6.1 keys features by.
  public var cantorID: Int { (layer + index) * (layer + index + 1) / 2 + index }
}
