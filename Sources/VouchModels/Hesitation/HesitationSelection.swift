// The hesitation study's feature selection (METHOD §6.5, §8.5), fixed before any result was
// seen: the paper hand-picked its 5,623 features; vouch needs a rule a rerun can repeat.

/// Hesitation-output and template features chosen from RelP attribution graphs of the
/// hesitation token's logit on prompts cut right before a "wait".
///
/// The rule:
/// - **Output features** — a feature `(ℓ, i)`'s score is the sum, over every graph and every
///   position, of its positive direct edges into the hesitation logit
///   (`max(0, A[wait, (ℓ, p, i)])`). Features are ranked by score (ties in canonical order) and
///   the smallest prefix holding at least ``massShare`` of the total positive score is kept.
/// - **Template features** — the features that feed the output group where the hesitation is
///   produced: a feature's score is the sum, over graphs, of its positive edges into the
///   output group's nodes at the last position (the position predicting "wait"); output
///   features themselves are excluded. Same ranking and ``massShare`` cut.
///
/// Only features active in some graph can score, so both groups are alive features.
public struct HesitationSelection: Sendable, Hashable {
  /// The share of the total positive attribution mass each group must hold: 0.5, chosen before
  /// looking at results (the analogue of circuit-tracer's influence cut, at half of it so the
  /// groups stay a small share of the features).
  public static let massShare = 0.5

  /// One ranked feature with its score.
  public struct Scored: Sendable, Hashable, Codable {
    /// The adapter's layer.
    public var layer: Int
    /// The feature index.
    public var index: Int
    /// The summed positive attribution.
    public var score: Double
  }

  /// Hesitation-output features, ranked.
  public var output: [Scored]
  /// Template features, ranked.
  public var template: [Scored]

  /// Selects from `graphs` (each with a logit node for `token`) for adapters of `layerCount`
  /// layers.
  public init(graphs: [AttributionGraph], token: Int, share: Double = massShare) {
    var outputScores: [FeatureKey: Double] = [:]
    for graph in graphs {
      for edge in graph.directEdges(toLogit: token) where edge.weight > 0 {
        outputScores[FeatureKey(edge.feature), default: 0] += edge.weight
      }
    }
    output = Self.cut(outputScores, share: share)
    let outputKeys = Set(output.map { FeatureKey(layer: $0.layer, index: $0.index) })
    var templateScores: [FeatureKey: Double] = [:]
    for graph in graphs {
      let last = graph.tokens.count - 1
      let sinks = graph.features.filter {
        $0.position == last && outputKeys.contains(FeatureKey($0))
      }
      let incoming = graph.topIncomingFeatureEdges(of: sinks, limit: Int.max)
      // Sinks in graph order, never the dictionary's (its order changes from process to process
      // and would change the sums' last bits).
      for sink in sinks {
        for edge in incoming[sink] ?? []
        where edge.weight > 0 && !outputKeys.contains(FeatureKey(edge.feature)) {
          templateScores[FeatureKey(edge.feature), default: 0] += edge.weight
        }
      }
    }
    template = Self.cut(templateScores, share: share)
  }

  /// Both groups as a selection for adapters of `layerCount` layers.
  public func selection(
    layerCount: Int, output includeOutput: Bool = true, template includeTemplate: Bool = true
  )
    -> FeatureSelection
  {
    let chosen = (includeOutput ? output : []) + (includeTemplate ? template : [])
    return FeatureSelection(
      layerCount: layerCount, features: chosen.map { (layer: $0.layer, index: $0.index) })
  }

  /// The highest-scoring keys holding `share` of the total, ranked (ties canonical).
  static func cut(_ scores: [FeatureKey: Double], share: Double) -> [Scored] {
    let ranked = scores.filter { $0.value > 0 }.sorted {
      $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
    }
    let total = ranked.reduce(0) { $0 + $1.value }
    var kept: [Scored] = []
    var sum = 0.0
    for (key, score) in ranked where sum < share * total {
      kept.append(Scored(layer: key.layer, index: key.index, score: score))
      sum += score
    }
    return kept
  }
}

/// A feature of an adapter irrespective of position: `(layer, index)`.
struct FeatureKey: Hashable, Comparable {
  var layer: Int
  var index: Int

  init(layer: Int, index: Int) {
    self.layer = layer
    self.index = index
  }

  init(_ address: FeatureAddress) { self.init(layer: address.layer, index: address.index) }

  static func < (a: FeatureKey, b: FeatureKey) -> Bool { (a.layer, a.index) < (b.layer, b.index) }
}
