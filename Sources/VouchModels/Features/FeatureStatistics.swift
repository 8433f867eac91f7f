// The result of one feature-statistics collection (METHOD.md §6.1): token totals, per region,
// and one ``FeatureRecord`` per (layer, feature).

/// Every adapter feature's statistics over a set of sequences, and the totals they divide by.
public struct FeatureStatistics: Hashable, Sendable {
  /// Sequences offered, skipped ones included.
  public var sequences: Int
  /// Sequences skipped for lacking `<assistant>`, `<think>` or `</think>` (METHOD §6.1).
  public var skippedSequences: Int
  /// Tokens of the sequences that were collected.
  public var tokens: Int
  /// Tokens per region, ``FeatureRegion/all`` order (`[17]`).
  public var regionTokens: [Int]
  /// `L`.
  public var layerCount: Int
  /// `F`, features per layer.
  public var featureCount: Int
  /// `L·F` records, layer 0's features first, each layer's in index order.
  public var features: [FeatureRecord]

  /// A result with the given fields.
  public init(
    sequences: Int, skippedSequences: Int, tokens: Int, regionTokens: [Int], layerCount: Int,
    featureCount: Int, features: [FeatureRecord]
  ) {
    self.sequences = sequences
    self.skippedSequences = skippedSequences
    self.tokens = tokens
    self.regionTokens = regionTokens
    self.layerCount = layerCount
    self.featureCount = featureCount
    self.features = features
  }

  /// The record of feature `index` of layer `layer`.
  /// - Precondition: `layer < L`, `index < F`.
  public func record(layer: Int, index: Int) -> FeatureRecord {
    precondition(layer >= 0 && layer < layerCount && index >= 0 && index < featureCount)
    return features[layer * featureCount + index]
  }
}
