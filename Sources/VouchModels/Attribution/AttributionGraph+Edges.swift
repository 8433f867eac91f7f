// Queries the hesitation study makes of a graph (METHOD.md §6.5, §8.5): the direct edges of
// features into one logit, and the largest feature edges into given features.

/// A feature's direct edge into another node.
public struct FeatureEdge: Sendable, Hashable {
  /// The source feature.
  public var feature: FeatureAddress
  /// `A[target, feature]`.
  public var weight: Double

  /// The edge of `feature` with weight `weight`.
  public init(feature: FeatureAddress, weight: Double) {
    self.feature = feature
    self.weight = weight
  }
}

extension AttributionGraph {
  /// Every feature node's direct edge into the logit node of `token` (unpruned `A`), largest
  /// first (ties in canonical order); empty when `token` is not a target.
  public func directEdges(toLogit token: Int) -> [FeatureEdge] {
    guard let k = targets.firstIndex(where: { $0.kind == .logit(token: token) }) else {
      return []
    }
    return directEdges(toTarget: k)
  }

  /// Every feature node's direct edge into target node `k` (unpruned `A`), largest first (ties
  /// in canonical order).
  public func directEdges(toTarget k: Int) -> [FeatureEdge] {
    Self.rankedFeatureEdges(
      features.indices.map { FeatureEdge(feature: features[$0], weight: self[targetNode(k), $0]) })
  }

  /// For each of `features` that is a node with an attributed row, the `limit` feature edges
  /// into it with the largest `|A|` (ties in canonical order), unpruned.
  public func topIncomingFeatureEdges(of targetsOfInterest: [FeatureAddress], limit: Int)
    -> [FeatureAddress: [FeatureEdge]]
  {
    var nodeOf: [FeatureAddress: Int] = [:]
    for (index, address) in features.enumerated() { nodeOf[address] = index }
    var result: [FeatureAddress: [FeatureEdge]] = [:]
    for address in targetsOfInterest {
      guard let row = nodeOf[address] else { continue }
      let edges = features.indices.compactMap { source -> FeatureEdge? in
        let weight = self[row, source]
        return weight == 0 ? nil : FeatureEdge(feature: features[source], weight: weight)
      }
      result[address] = Array(
        edges.sorted {
          abs($0.weight) != abs($1.weight)
            ? abs($0.weight) > abs($1.weight) : $0.feature < $1.feature
        }.prefix(max(limit, 0)))
    }
    return result
  }

  /// `edges` by weight, largest first, ties in canonical feature order.
  public static func rankedFeatureEdges(_ edges: [FeatureEdge]) -> [FeatureEdge] {
    edges.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.feature < $1.feature }
  }
}
