import Foundation
import VouchModels

/// The numbers of one attribution graph: what `vouch attribute --json` prints and the
/// `attribute` stage's `summary.json` lists per prompt.
public struct AttributionSummary: Codable, Sendable, Hashable {
  /// A feature and its direct edge into the first target.
  public struct TopFeature: Codable, Sendable, Hashable {
    /// Block index.
    public var layer: Int
    /// Token position.
    public var position: Int
    /// Feature index.
    public var index: Int
    /// `A[target, feature]`.
    public var weight: Double
  }

  /// The prompt's text (tokens joined).
  public var prompt: String
  /// How many tokens.
  public var tokens: Int
  /// The target nodes' descriptions (`logit 31`, `feature 2:7:13`).
  public var targets: [String]
  /// Active features (position > 0, upstream of the targets) before the budget.
  public var activeFeatures: Int
  /// Feature nodes after the budget, before pruning.
  public var featureNodes: Int
  /// Nodes kept by pruning (features, tokens and targets).
  public var nodesKept: Int
  /// Edges kept by pruning.
  public var edgesKept: Int
  /// The largest relative completeness error of any attributed row (before BOS zeroing).
  public var completenessError: Double
  /// The ten features with the largest direct edge into the first target, largest first.
  public var topFeatures: [TopFeature]
  /// Wall time of the attribution and pruning, seconds; `nil` in stage outputs, which must be
  /// byte-deterministic.
  public var seconds: Double?

  /// The summary of `graph` pruned by `pruning`.
  public init(
    graph: AttributionGraph, pruning: AttributionPruning, prompt: String, seconds: Double?
  ) {
    self.prompt = prompt
    tokens = graph.tokens.count
    targets = graph.targets.map {
      switch $0.kind {
      case .logit(let token): "logit \(token)"
      case .feature(let address): "feature \(address)"
      }
    }
    activeFeatures = graph.activeFeatureCount
    featureNodes = graph.features.count
    nodesKept = pruning.nodes.reduce(0) { $0 + ($1 ? 1 : 0) }
    edgesKept = pruning.keptEdgeCount
    completenessError = graph.maximumCompletenessError
    let direct = graph.targets.isEmpty ? [] : graph.directEdges(toTarget: 0)
    topFeatures = direct.prefix(10).map {
      TopFeature(
        layer: $0.feature.layer, position: $0.feature.position, index: $0.feature.index,
        weight: $0.weight)
    }
    self.seconds = seconds
  }
}
