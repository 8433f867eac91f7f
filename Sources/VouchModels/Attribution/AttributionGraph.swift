// An attribution graph (METHOD.md §6.4): feature, token and target nodes and the direct-effect
// matrix between them, in circuit-tracer's node order.

/// Nodes and edges of one prompt's attribution graph.
///
/// Node order (circuit-tracer's, without error nodes): the feature nodes in canonical order
/// (``FeatureAddress``), then one token node per position, then the target nodes. The
/// adjacency is dense, row = target node, column = source node: `A[t, s]` is the direct effect
/// of `s` on `t`. Features at position 0 are never nodes and the token-0 node's edges are 0
/// (BOS zeroing); completeness is measured before that zeroing.
public struct AttributionGraph: Sendable, Hashable {
  /// The prompt's token ids, `T`.
  public var tokens: [Int]
  /// The feature nodes, canonical order.
  public var features: [FeatureAddress]
  /// Each feature node's activation `f`.
  public var activations: [Double]
  /// The target nodes (logits, most probable first, or one feature target).
  public var targets: [AttributionTargetNode]
  /// `[nodeCount, nodeCount]` row-major: row = target node, column = source node.
  public var adjacency: [Double]
  /// How many features were active (`f > 0`, position > 0, upstream of the targets) before
  /// the node budget.
  public var activeFeatureCount: Int
  /// The largest relative completeness error over every row attributed (targets and feature
  /// rows), before BOS zeroing.
  public var maximumCompletenessError: Double

  /// An empty graph over `tokens` with the given nodes (all edges 0).
  public init(
    tokens: [Int], features: [FeatureAddress], activations: [Double],
    targets: [AttributionTargetNode], activeFeatureCount: Int, maximumCompletenessError: Double
  ) {
    precondition(features.count == activations.count, "one activation per feature node")
    self.tokens = tokens
    self.features = features
    self.activations = activations
    self.targets = targets
    self.activeFeatureCount = activeFeatureCount
    self.maximumCompletenessError = maximumCompletenessError
    let count = features.count + tokens.count + targets.count
    adjacency = [Double](repeating: 0, count: count * count)
  }

  /// Features + tokens + targets.
  public var nodeCount: Int { features.count + tokens.count + targets.count }
  /// The node index of token position `position`.
  public func tokenNode(_ position: Int) -> Int { features.count + position }
  /// The node index of target `k`.
  public func targetNode(_ k: Int) -> Int { features.count + tokens.count + k }

  /// `A[target, source]`.
  public subscript(target: Int, source: Int) -> Double {
    get { adjacency[target * nodeCount + source] }
    set { adjacency[target * nodeCount + source] = newValue }
  }

  /// The influence weight of every node: the target weights on target nodes, 0 elsewhere.
  public var targetWeights: [Double] {
    [Double](repeating: 0, count: features.count + tokens.count) + targets.map(\.weight)
  }
}
