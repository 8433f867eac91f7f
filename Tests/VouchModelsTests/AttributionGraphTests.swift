import Foundation
import Testing
import VouchEngine
import VouchTestSupport

@testable import VouchModels

/// Graph assembly (BOS zeroing, node budget, upstream sources), pruning on a hand-made graph,
/// the hesitation queries and refused inputs.
@Suite("Attribution graphs")
struct AttributionGraphTests {
  let context = ComputeContext(profile: .exact, threads: 2)

  func attributor() throws -> Attributor<Double> {
    try Attributor(
      model: try AdapterReference.model(adapters: "adapter", as: Double.self),
      ids: try RelPReference.load().ids, context: context)
  }

  @Test func bosFeaturesAreNotNodesAndTokenZeroHasNoEdges() throws {
    let attributor = try attributor()
    let graph = try attributor.graph(target: .logits)
    #expect(attributor.active.contains { $0.position == 0 })
    #expect(graph.features.allSatisfy { $0.position > 0 })
    #expect(graph.features == graph.features.sorted())
    #expect(graph.features.count == attributor.active.filter { $0.position > 0 }.count)
    for row in 0..<graph.nodeCount { #expect(graph[row, graph.tokenNode(0)] == 0) }
    let completeness = graph.targets.map(\.completenessError).max() ?? 1
    #expect(completeness <= 1e-9)
    // Features feed only features of later layers.
    for (t, target) in graph.features.enumerated() {
      for (s, source) in graph.features.enumerated() where graph[t, s] != 0 {
        #expect(source.layer < target.layer && source.position <= target.position)
      }
    }
  }

  @Test func theBudgetVisitsTheMostInfluentialFeaturesFirst() throws {
    let attributor = try attributor()
    var settings = AttributionSettings()
    settings.maxFeatureNodes = 16
    let graph = try attributor.graph(target: .logits, settings: settings)
    #expect(graph.features.count == 16)
    // One batch: ranked by the logit rows alone, i.e. Σ_t p_t |A[t, s]| / Σ_s' |A[t, s']|
    // (tokens included in the row sums, token 0 and BOS features excluded).
    let candidates = attributor.active.indices.filter { attributor.active[$0].position > 0 }
    var influence = [Double](repeating: 0, count: candidates.count)
    for target in attributor.logitTargets(maxCount: 10, probability: 0.95) {
      let row = attributor.logitRow(token: target.token)
      let sum =
        candidates.map { abs(row.featureEdges[$0]) }.reduce(0, +)
        + row.tokenEdges.dropFirst().map(abs).reduce(0, +)
      for (k, slot) in candidates.enumerated() {
        influence[k] += target.probability * abs(row.featureEdges[slot]) / sum
      }
    }
    let expected = candidates.indices.sorted {
      influence[$0] != influence[$1] ? influence[$0] > influence[$1] : $0 < $1
    }.prefix(16).map { attributor.active[candidates[$0]] }.sorted()
    #expect(graph.features == expected)
  }

  @Test func featureTargetsTakeOnlyUpstreamSources() throws {
    let reference = try RelPReference.load()
    let attributor = try attributor()
    let f = reference.float64.feature
    let address = FeatureAddress(
      layer: f.layer ?? -1, position: f.position ?? -1, index: f.index ?? -1)
    let graph = try attributor.graph(target: .feature(address))
    #expect(graph.targets.count == 1 && graph.targets[0].weight == 1)
    #expect(
      graph.features.allSatisfy { $0.layer < address.layer && $0.position <= address.position })
    #expect(graph.maximumCompletenessError <= 1e-9)
  }

  @Test func refusedInputs() throws {
    let model = try AdapterReference.model(adapters: "adapter", as: Double.self)
    #expect(throws: ModelError.self) { try Attributor(model: model, ids: [], context: context) }
    #expect(throws: ModelError.self) {
      try Attributor(model: model, ids: [1, 99], context: context)
    }
    var configuration = AdapterTestSupport.configuration
    configuration.maxPositionEmbeddings = 4
    var generator = SeededGenerator(seed: 5)
    let short = try ReplacementModel(
      target: AdapterTestSupport.parameters(configuration, seed: 1),
      base: AdapterTestSupport.parameters(configuration, seed: 2),
      adapters: (0..<configuration.layerCount).map { _ in
        AdapterTestSupport.adapter(hiddenSize: 8, featureCount: 6, generator: &generator)
      })
    #expect(throws: ModelError.self) {
      try Attributor(model: short, ids: [1, 2, 3, 4, 5], context: context)
    }
    #expect(try Attributor(model: short, ids: [1, 2, 3, 4], context: context).tokenCount == 4)
    let attributor = try attributor()
    let inactive = (0..<32).map { FeatureAddress(layer: 1, position: 3, index: $0) }
      .first { attributor.activeIndex[$0] == nil }
    for bad in [
      FeatureAddress(layer: 3, position: 1, index: 0),
      FeatureAddress(layer: 0, position: 8, index: 0),
      FeatureAddress(layer: 0, position: 1, index: 32),
      FeatureAddress(layer: 1, position: 0, index: 0),
    ] + (inactive.map { [$0] } ?? []) {
      #expect(throws: ModelError.self) { try attributor.graph(target: .feature(bad)) }
    }
    #expect(throws: ModelError.self) { try attributor.graph(target: .logit(token: 37)) }
    #expect(FeatureAddress(parsing: "2:7:115") == FeatureAddress(layer: 2, position: 7, index: 115))
    for text in ["2:7", "a:1:2", "1:-1:2", "1:2:3:4", ""] {
      #expect(FeatureAddress(parsing: text) == nil)
    }
  }

  /// Nodes f0 f1 f2 | t0 t1 | y (weight 1). Edges: y←f0 3, y←f1 1; f0←t1 3, f0←f2 1;
  /// f1←t1 1; f2←t1 1. Influences (all dyadic, exact): f0 .75, f1 .25, f2 .1875, t1 1.
  static func handMadeAdjacency() -> [Double] {
    let n = 6
    var a = [Double](repeating: 0, count: n * n)
    for (t, s, w) in [(5, 0, 3.0), (5, 1, 1), (0, 4, 3), (0, 2, 1), (1, 4, 1), (2, 4, 1)] {
      a[t * n + s] = w
    }
    return a
  }

  @Test func pruningAHandMadeGraph() {
    let a = Self.handMadeAdjacency()
    let n = 6
    // Node threshold 0.8: t1 (1) + f0 (.75) hold exactly 1.75 / 2.1875 = 0.8 (inclusive).
    let first = AttributionPruning(
      adjacency: a, featureCount: 3, tokenCount: 2, targetWeights: [1], nodeThreshold: 0.8,
      edgeThreshold: 0.98)
    #expect(first.influence == [0.75, 0.25, 0.1875, 0, 1, 0])
    #expect(first.nodes == [true, false, false, true, true, true])
    let kept = (0..<(n * n)).filter { first.edges[$0] }.map { ($0 / n, $0 % n) }
    #expect(kept.map(\.0) == [0, 5] && kept.map(\.1) == [4, 0])
    #expect(first.cumulativeInfluence[4] == 1 / 2.1875)
    #expect(first.cumulativeInfluence[0] == 1.75 / 2.1875)
    // Node threshold 1: every influential node kept; edge scores .75 .5625 .25 .25 .1875 .1875
    // (total 2.1875); 0.7 of it is reached at the second .25, so both .1875 edges (f0←f2,
    // f2←t1) go, and then f2, left without edges.
    let second = AttributionPruning(
      adjacency: a, featureCount: 3, tokenCount: 2, targetWeights: [1], nodeThreshold: 1,
      edgeThreshold: 0.7)
    #expect(second.nodes == [true, true, false, true, true, true])
    let edges = (0..<(n * n)).filter { second.edges[$0] }.map { [$0 / n, $0 % n] }
    #expect(edges == [[0, 4], [1, 4], [5, 0], [5, 1]])
  }

  @Test func hesitationQueries() {
    var graph = AttributionGraph(
      tokens: [1, 7],
      features: [
        FeatureAddress(layer: 0, position: 1, index: 3),
        FeatureAddress(layer: 1, position: 1, index: 0),
        FeatureAddress(layer: 1, position: 1, index: 5),
      ], activations: [1, 2, 3],
      targets: [
        AttributionTargetNode(kind: .logit(token: 9), weight: 1, value: 0, completenessError: 0)
      ], activeFeatureCount: 3, maximumCompletenessError: 0)
    graph[graph.targetNode(0), 0] = 0.5
    graph[graph.targetNode(0), 1] = 2
    graph[graph.targetNode(0), 2] = -1
    graph[1, 0] = -4
    graph[2, 0] = 1
    let direct = graph.directEdges(toLogit: 9)
    #expect(direct.map(\.weight) == [2, 0.5, -1])
    #expect(direct[0].feature == FeatureAddress(layer: 1, position: 1, index: 0))
    #expect(graph.directEdges(toLogit: 8).isEmpty)
    let incoming = graph.topIncomingFeatureEdges(
      of: [graph.features[1], graph.features[2]], limit: 1)
    #expect(incoming[graph.features[1]]?.map(\.weight) == [-4])
    #expect(incoming[graph.features[2]]?.map(\.weight) == [1])
  }
}
