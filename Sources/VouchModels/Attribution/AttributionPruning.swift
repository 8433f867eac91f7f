// circuit-tracer's prune_graph (pinned commit 26a976e; METHOD.md §6.4 and its conventions
// list): keep the nodes holding 80% of the influence, then the edges holding 98% of the edge
// score, then drop features left without an incoming or outgoing edge, repeatedly.

/// Which nodes and edges of a graph survive pruning.
public struct AttributionPruning: Sendable, Hashable {
  /// Per node (graph order), whether it is kept.
  public var nodes: [Bool]
  /// `[nodeCount, nodeCount]` row-major (row = target, column = source): whether the edge is
  /// kept.
  public var edges: [Bool]
  /// Per node, its influence `w·(B + B² + …)` with `B` the row-normalised `|A|`.
  public var influence: [Double]
  /// Per node, the cumulative share of total influence up to and including it, nodes sorted by
  /// influence (descending, ties to the lower node index): circuit-tracer's `influence` field.
  public var cumulativeInfluence: [Double]

  /// Prunes `graph` with its own target weights.
  public init(_ graph: AttributionGraph, nodeThreshold: Double, edgeThreshold: Double) {
    self.init(
      adjacency: graph.adjacency, featureCount: graph.features.count,
      tokenCount: graph.tokens.count, targetWeights: graph.targets.map(\.weight),
      nodeThreshold: nodeThreshold, edgeThreshold: edgeThreshold)
  }

  /// Prunes a graph given as its matrix: nodes are `featureCount` features, then `tokenCount`
  /// tokens, then one node per target weight.
  ///
  /// 1. Node influence = `w·(B + B² + …)`, `B` = `|A|` row-normalised (row sums clamped at
  ///    ``AttributionSettings/pruningRowSumFloor``), `w` the target weights; the smallest set
  ///    holding `nodeThreshold` of the total (token nodes included in the total) is kept:
  ///    every node whose influence is `≥` the score at which the sorted cumulative share first
  ///    reaches the threshold (ties kept). Tokens and targets are always kept.
  /// 2. The matrix restricted to kept nodes is re-normalised (`B'`); edge score
  ///    `B'[t, s] · (w + w·(B' + B'² + …))[t]`; edges scoring `≥` the threshold score for
  ///    `edgeThreshold` of the total (and above 0) are kept.
  /// 3. A feature without a kept incoming or outgoing edge is dropped, with its edges, until
  ///    nothing changes.
  public init(
    adjacency: [Double], featureCount: Int, tokenCount: Int, targetWeights: [Double],
    nodeThreshold: Double, edgeThreshold: Double
  ) {
    let n = featureCount + tokenCount + targetWeights.count
    precondition(adjacency.count == n * n, "adjacency must be [\(n), \(n)]")
    let seed = [Double](repeating: 0, count: featureCount + tokenCount) + targetWeights
    let everyRow = Array(0..<n)
    let floor = AttributionSettings.pruningRowSumFloor
    let influence = InfluencePropagation.influence(
      normalised: InfluencePropagation.normalisedAbsoluteRows(adjacency, columns: n, floor: floor),
      rowNodes: everyRow, seed: seed)
    var nodes = Self.keep(influence, share: nodeThreshold)
    for node in featureCount..<n { nodes[node] = true }
    var pruned = adjacency
    for t in 0..<n {
      for s in 0..<n where !nodes[t] || !nodes[s] { pruned[t * n + s] = 0 }
    }
    let normalised = InfluencePropagation.normalisedAbsoluteRows(pruned, columns: n, floor: floor)
    var prunedInfluence = InfluencePropagation.influence(
      normalised: normalised, rowNodes: everyRow, seed: seed)
    for node in 0..<n { prunedInfluence[node] += seed[node] }
    var scores = normalised
    for t in 0..<n {
      for s in 0..<n { scores[t * n + s] *= prunedInfluence[t] }
    }
    var edges = Self.keep(scores, share: edgeThreshold)
    for index in edges.indices where !(scores[index] > 0) { edges[index] = false }
    var changed = true
    while changed {
      changed = false
      for t in 0..<n {
        for s in 0..<n where edges[t * n + s] && (!nodes[t] || !nodes[s]) {
          edges[t * n + s] = false
        }
      }
      for feature in 0..<featureCount where nodes[feature] {
        let outgoing = (0..<n).contains { edges[$0 * n + feature] }
        let incoming = (0..<n).contains { edges[feature * n + $0] }
        if !outgoing || !incoming {
          nodes[feature] = false
          changed = true
        }
      }
    }
    self.nodes = nodes
    self.edges = edges
    self.influence = influence
    cumulativeInfluence = Self.cumulativeShares(influence)
  }

  /// `scores[i] ≥ threshold score`, where the threshold score is the first score (sorted
  /// descending) at which the cumulative share of the total reaches `share` (circuit-tracer's
  /// `find_threshold`). An all-zero input keeps nothing.
  static func keep(_ scores: [Double], share: Double) -> [Bool] {
    let sorted = scores.sorted(by: >)
    let total = sorted.reduce(0, +)
    guard total > 0, !sorted.isEmpty else { return scores.map { _ in false } }
    var cumulative = 0.0
    var threshold = sorted[sorted.count - 1]
    for score in sorted {
      cumulative += score
      if cumulative / total >= share {
        threshold = score
        break
      }
    }
    return scores.map { $0 >= threshold }
  }

  /// Per node, the cumulative share of the total up to it in descending order (ties to the
  /// lower index).
  static func cumulativeShares(_ influence: [Double]) -> [Double] {
    let order = influence.indices.sorted {
      influence[$0] != influence[$1] ? influence[$0] > influence[$1] : $0 < $1
    }
    let total = influence.reduce(0, +)
    var shares = [Double](repeating: 0, count: influence.count)
    var cumulative = 0.0
    for node in order {
      cumulative += influence[node]
      shares[node] = total > 0 ? cumulative / total : 0
    }
    return shares
  }

  /// How many edges are kept.
  public var keptEdgeCount: Int { edges.reduce(0) { $0 + ($1 ? 1 : 0) } }
  /// How many feature nodes are kept (of the first `featureCount` nodes).
  public func keptFeatureCount(_ featureCount: Int) -> Int {
    nodes.prefix(featureCount).reduce(0) { $0 + ($1 ? 1 : 0) }
  }
}
