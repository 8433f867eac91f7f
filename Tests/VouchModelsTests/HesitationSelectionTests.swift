import Testing

@testable import VouchModels

/// The hesitation selection rule on hand-made graphs with known answers.
@Suite struct HesitationSelectionTests {
  static let wait = 25

  /// A 4-token graph with the given feature nodes and a single "wait" logit target.
  static func graph(_ features: [FeatureAddress]) -> AttributionGraph {
    AttributionGraph(
      tokens: [1, 3, 7, 8], features: features,
      activations: Array(repeating: 1, count: features.count),
      targets: [
        AttributionTargetNode(
          kind: .logit(token: wait), weight: 1, value: 0, completenessError: 0)
      ], activeFeatureCount: features.count, maximumCompletenessError: 0)
  }

  @Test func outputAndTemplateGroupsHoldHalfTheirMass() {
    let a = FeatureAddress(layer: 3, position: 3, index: 7)  // strong output feature
    let b = FeatureAddress(layer: 2, position: 3, index: 1)  // weak output feature
    let c = FeatureAddress(layer: 1, position: 3, index: 4)  // feeds a
    let d = FeatureAddress(layer: 0, position: 2, index: 9)  // feeds a, less
    let e = FeatureAddress(layer: 1, position: 1, index: 5)  // inhibits wait
    var first = Self.graph([d, e, c, b, a].sorted())
    let node = { (address: FeatureAddress) in first.features.firstIndex(of: address)! }
    let wait = first.targetNode(0)
    first[wait, node(a)] = 3
    first[wait, node(b)] = 1
    first[wait, node(e)] = -5
    first[node(a), node(c)] = 2
    first[node(a), node(d)] = 1
    first[node(a), node(e)] = -4
    // A second prompt: the same features at other positions add up per (layer, index).
    let a2 = FeatureAddress(layer: 3, position: 3, index: 7)
    let b2 = FeatureAddress(layer: 2, position: 2, index: 1)
    var second = Self.graph([a2, b2].sorted())
    second[second.targetNode(0), second.features.firstIndex(of: b2)!] = 1.5
    second[second.targetNode(0), second.features.firstIndex(of: a2)!] = 0.5

    let selection = HesitationSelection(graphs: [first, second], token: Self.wait)
    // Output scores: a 3.5, b 2.5 of 6 → half is reached by a alone.
    #expect(selection.output.map { [$0.layer, $0.index] } == [[3, 7]])
    #expect(selection.output.first?.score == 3.5)
    // Template scores into a at the last position: c 2, d 1 → c alone holds half.
    #expect(selection.template.map { [$0.layer, $0.index] } == [[1, 4]])
    let both = selection.selection(layerCount: 4)
    #expect(
      both.count == 2 && both.contains(layer: 3, index: 7) && both.contains(layer: 1, index: 4))
    #expect(selection.selection(layerCount: 4, template: false).count == 1)

    // With the whole mass asked for, every positive feature is kept, in rank order.
    let all = HesitationSelection(graphs: [first, second], token: Self.wait, share: 1)
    #expect(all.output.map(\.index) == [7, 1])
    #expect(all.template.map(\.index) == [4, 9])
  }

  /// A template feature feeding several output features sums its edges in the graph's order
  /// of those sinks, whatever order a dictionary would give (it differs between processes).
  @Test func templateScoresSumInGraphOrder() {
    let sinks = (0..<3).map { FeatureAddress(layer: 3, position: 3, index: $0) }
    let source = FeatureAddress(layer: 0, position: 1, index: 9)
    var graph = Self.graph(([source] + sinks).sorted())
    let node = { (address: FeatureAddress) in graph.features.firstIndex(of: address)! }
    let weights = [1.0, 1e-16, 1e-16]
    for (sink, weight) in zip(sinks, weights) {
      graph[graph.targetNode(0), node(sink)] = 1
      graph[node(sink), node(source)] = weight
    }
    let selection = HesitationSelection(graphs: [graph], token: Self.wait, share: 1)
    let ordered = graph.features.filter { sinks.contains($0) }.map {
      weights[sinks.firstIndex(of: $0)!]
    }
    // (1 + 1e-16) + 1e-16 = 1, but 1 + (1e-16 + 1e-16) > 1: the order shows in the bits.
    #expect(selection.template.first?.score == ordered.reduce(0, +))
  }

  @Test func noPositiveEdgeIsAnEmptySelection() {
    var graph = Self.graph([FeatureAddress(layer: 0, position: 1, index: 0)])
    graph[graph.targetNode(0), 0] = -1
    let selection = HesitationSelection(graphs: [graph], token: Self.wait)
    #expect(selection.output.isEmpty && selection.template.isEmpty)
    #expect(HesitationSelection(graphs: [graph], token: 26).output.isEmpty)
  }
}
