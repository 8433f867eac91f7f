// The graph of one prompt: target rows, then feature rows visited in order of estimated
// influence under the node budget (METHOD.md §6.4 and its conventions list).
import VouchEngine

extension Attributor {
  /// The attribution graph of `target` (unpruned; see ``AttributionPruning``).
  ///
  /// 1. Target rows: the logit targets (``logitTargets(maxCount:probability:)``), one logit,
  ///    or one feature.
  /// 2. Candidates: the active features at positions > 0 (BOS features are never nodes), for a
  ///    feature target only those of earlier layers at the same or earlier positions.
  /// 3. If there are more candidates than `settings.maxFeatureNodes`, they are visited in
  ///    order of estimated influence: after every `rerankInterval` batches of `batchSize` rows
  ///    the influence of the rows computed so far (``InfluencePropagation``, row sums clamped
  ///    at ``AttributionSettings/rankingRowSumFloor``, seeded with the target weights) ranks
  ///    the unvisited candidates (ties in canonical order). Unvisited candidates get no node.
  /// 4. Each row's completeness (§10.7) is measured on the full row; then token-0 edges are
  ///    set to 0 and edges from non-nodes dropped.
  /// - Throws: `ModelError(.mismatch)` for a logit outside the vocabulary or a feature target
  ///   outside the model or prompt, at position 0, or not active on this prompt.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func graph(target: AttributionTarget, settings: AttributionSettings = .init()) throws
    -> AttributionGraph
  {
    let (targetNodes, targetRows, candidates) = try targetRowsAndCandidates(target, settings)
    let budget = min(max(settings.maxFeatureNodes, 0), candidates.count)
    let columns = candidates.count + tokenCount + targetNodes.count
    // Partial edge matrix over candidates, tokens, targets: one row per attributed node.
    var rows: [Double] = []
    var rowNodes: [Int] = []
    var worst = targetRows.map(\.completenessError).max() ?? 0
    func append(_ row: AttributionRow, node: Int) {
      var values = [Double](repeating: 0, count: columns)
      for (column, slot) in candidates.enumerated() { values[column] = row.featureEdges[slot] }
      for position in 1..<max(tokenCount, 1) {
        values[candidates.count + position] = row.tokenEdges[position]
      }
      rows += values
      rowNodes.append(node)
    }
    for (k, row) in targetRows.enumerated() { append(row, node: candidates.count + tokenCount + k) }
    let seed =
      [Double](repeating: 0, count: candidates.count + tokenCount) + targetNodes.map(\.weight)
    var visited = [Bool](repeating: false, count: candidates.count)
    var visitedCount = 0
    var queue: [Int] = budget == candidates.count ? Array(candidates.indices) : []
    var batches = 0
    while visitedCount < budget {
      if budget < candidates.count, batches % max(settings.rerankInterval, 1) == 0 {
        let normalised = InfluencePropagation.normalisedAbsoluteRows(
          rows, columns: columns, floor: AttributionSettings.rankingRowSumFloor)
        let influence = InfluencePropagation.influence(
          normalised: normalised, rowNodes: rowNodes, seed: seed)
        queue = candidates.indices.filter { !visited[$0] }.sorted {
          influence[$0] != influence[$1] ? influence[$0] > influence[$1] : $0 < $1
        }
      }
      let take = min(max(settings.batchSize, 1), budget - visitedCount, queue.count)
      for candidate in queue.prefix(take) {
        let row = featureRow(active[candidates[candidate]])
        worst = max(worst, row.completenessError)
        append(row, node: candidate)
        visited[candidate] = true
      }
      queue.removeFirst(take)
      visitedCount += take
      batches += 1
    }
    return assemble(
      targetNodes: targetNodes, candidates: candidates, visited: visited, rows: rows,
      rowNodes: rowNodes, columns: columns, worst: worst)
  }

  /// The final graph: visited candidates (canonical order), tokens, targets, and the rows.
  private func assemble(
    targetNodes: [AttributionTargetNode], candidates: [Int], visited: [Bool], rows: [Double],
    rowNodes: [Int], columns: Int, worst: Double
  ) -> AttributionGraph {
    let kept = candidates.indices.filter { visited[$0] }
    var graph = AttributionGraph(
      tokens: ids, features: kept.map { active[candidates[$0]] },
      activations: kept.map { activations[candidates[$0]] }, targets: targetNodes,
      activeFeatureCount: candidates.count, maximumCompletenessError: worst)
    // Column (candidate, token, target) → graph node, or nil for unvisited candidates.
    var nodeOf = [Int?](repeating: nil, count: columns)
    for (node, candidate) in kept.enumerated() { nodeOf[candidate] = node }
    for column in candidates.count..<columns {
      nodeOf[column] = column - candidates.count + kept.count
    }
    for (row, owner) in rowNodes.enumerated() {
      guard let target = nodeOf[owner] else { continue }
      for column in 0..<columns {
        let weight = rows[row * columns + column]
        guard weight != 0, let source = nodeOf[column] else { continue }
        graph[target, source] = weight
      }
    }
    return graph
  }

  /// The target nodes, their rows, and the candidate feature slots (into ``active``).
  private func targetRowsAndCandidates(_ target: AttributionTarget, _ settings: AttributionSettings)
    throws -> ([AttributionTargetNode], [AttributionRow], [Int])
  {
    let vocabulary = model.configuration.vocabularySize
    var nodes: [AttributionTargetNode] = []
    var rows: [AttributionRow] = []
    var candidates = active.indices.filter { active[$0].position > 0 }
    switch target {
    case .logits:
      for (token, probability) in logitTargets(
        maxCount: settings.maxLogits, probability: settings.logitProbability)
      {
        let row = logitRow(token: token)
        rows.append(row)
        nodes.append(
          AttributionTargetNode(
            kind: .logit(token: token), weight: probability, value: row.value,
            completenessError: row.completenessError))
      }
    case .logit(let token):
      guard (0..<vocabulary).contains(token) else {
        throw ModelError(
          .mismatch, "logit \(token) is outside the vocabulary 0..<\(vocabulary)")
      }
      let row = logitRow(token: token)
      rows.append(row)
      nodes.append(
        AttributionTargetNode(
          kind: .logit(token: token), weight: 1, value: row.value,
          completenessError: row.completenessError))
    case .feature(let address):
      try checkFeatureTarget(address)
      let row = featureRow(address)
      rows.append(row)
      nodes.append(
        AttributionTargetNode(
          kind: .feature(address), weight: 1, value: row.value,
          completenessError: row.completenessError))
      candidates = candidates.filter {
        active[$0].layer < address.layer && active[$0].position <= address.position
      }
    }
    return (nodes, rows, candidates)
  }

  /// Refuses a feature target that is not an active, non-BOS feature of this prompt.
  func checkFeatureTarget(_ address: FeatureAddress) throws {
    let layers = model.layerCount
    let features = model.adapters.first?.featureCount ?? 0
    guard address.layer < layers, address.position < tokenCount, address.index < features else {
      throw ModelError(
        .mismatch,
        "feature \(address) is outside the model or prompt (layers 0..<\(layers), positions "
          + "0..<\(tokenCount), features 0..<\(features)); give L:P:I inside those ranges")
    }
    guard address.position > 0 else {
      throw ModelError(
        .mismatch,
        "feature \(address) sits on the BOS position, which attribution graphs leave out; "
          + "pick a position ≥ 1")
    }
    guard activeIndex[address] != nil else {
      throw ModelError(
        .mismatch,
        "feature \(address) is not active (f = 0) on this prompt; pick an active feature")
    }
  }
}
