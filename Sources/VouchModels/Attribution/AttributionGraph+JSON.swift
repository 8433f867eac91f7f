// The graph in the JSON shape circuit-tracer's frontend reads (create_graph_files: metadata,
// qParams, nodes, links), byte-deterministic.
import Foundation

extension AttributionGraph {
  /// The pruned graph as circuit-tracer's frontend JSON (`graph_models.Model`).
  ///
  /// Nodes (kept by `pruning`, in graph order: features, tokens, targets) use circuit-tracer's
  /// ids: feature `"{layer}_{index}_{position}"` (`feature_type` "cross layer transcoder",
  /// `feature` = Cantor pairing of layer and index), token `"E_{id}_{position}"`, logit
  /// `"{L+1}_{id}_{T−1}"`; a feature target is a feature node with `is_target_logit` true. As
  /// in circuit-tracer, features without a kept edge are left out, tokens and targets never.
  /// Links are the kept edges in row-major (target, source) order. Numbers are written with
  /// ``formatNumber(_:)``, keys in `graph_models` declaration order, so equal graphs give equal
  /// bytes.
  /// - Parameters:
  ///   - pruning: the kept nodes and edges.
  ///   - slug: the graph's name (`metadata.slug`).
  ///   - layerCount: `L` (logit nodes sit on layer `L + 1`).
  ///   - nodeThreshold: recorded in `metadata.node_threshold`.
  ///   - tokenText: the text of one token id.
  /// - Returns: UTF-8 JSON, two-space indented, ending in a newline.
  public func circuitTracerJSON(
    pruning: AttributionPruning, slug: String, layerCount: Int, nodeThreshold: Double,
    tokenText: (Int) -> String
  ) -> Data {
    let q = JSONStringLiteral.quoted
    let number = Self.formatNumber
    let last = tokens.count - 1
    var ids = [String](repeating: "", count: nodeCount)
    var nodeLines: [String] = []
    func node(
      _ index: Int, id: String, feature: Int, layer: String, position: Int, type: String,
      probability: Double = 0, isTarget: Bool = false, js: String, clerp: String = "",
      activation: Double? = nil, influence: Bool = true
    ) {
      ids[index] = id
      let fields = [
        "\"node_id\": \(q(id))", "\"feature\": \(feature)", "\"layer\": \(q(layer))",
        "\"ctx_idx\": \(position)", "\"feature_type\": \(q(type))",
        "\"token_prob\": \(number(probability))", "\"is_target_logit\": \(isTarget)",
        "\"run_idx\": 0", "\"reverse_ctx_idx\": 0", "\"jsNodeId\": \(q(js))",
        "\"clerp\": \(q(clerp))",
        "\"influence\": \(influence ? number(pruning.cumulativeInfluence[index]) : "null")",
        "\"activation\": \(activation.map(number) ?? "null")",
      ]
      nodeLines.append("    {\n      " + fields.joined(separator: ",\n      ") + "\n    }")
    }
    let connected = Set(
      (0..<(nodeCount * nodeCount)).filter { pruning.edges[$0] }.flatMap {
        [$0 / nodeCount, $0 % nodeCount]
      })
    for (k, address) in features.enumerated() where pruning.nodes[k] && connected.contains(k) {
      node(
        k, id: "\(address.layer)_\(address.index)_\(address.position)",
        feature: Self.cantorPairing(address.layer, address.index), layer: "\(address.layer)",
        position: address.position, type: "cross layer transcoder",
        js: "\(address.layer)_\(address.index)-0", activation: activations[k])
    }
    for (position, token) in tokens.enumerated() {
      node(
        tokenNode(position), id: "E_\(token)_\(position)", feature: position, layer: "E",
        position: position, type: "embedding", js: "E_\(token)-\(position)")
    }
    for (k, target) in targets.enumerated() {
      switch target.kind {
      case .logit(let token):
        node(
          targetNode(k), id: "\(layerCount + 1)_\(token)_\(last)", feature: token,
          layer: "\(layerCount + 1)", position: last, type: "logit",
          probability: target.weight, isTarget: k == 0, js: "L_\(token)-\(last)",
          clerp: "Output \"\(tokenText(token))\" (p=\(String(format: "%.3f", target.weight)))",
          influence: false)
      case .feature(let a):
        node(
          targetNode(k), id: "\(a.layer)_\(a.index)_\(a.position)",
          feature: Self.cantorPairing(a.layer, a.index), layer: "\(a.layer)",
          position: a.position, type: "cross layer transcoder", probability: target.weight,
          isTarget: true, js: "\(a.layer)_\(a.index)-0", clerp: "Target feature \(a)",
          influence: false)
      }
    }
    var linkLines: [String] = []
    for index in 0..<(nodeCount * nodeCount) where pruning.edges[index] {
      let (t, s) = (index / nodeCount, index % nodeCount)
      guard !ids[t].isEmpty, !ids[s].isEmpty else { continue }
      linkLines.append(
        "    {\n      \"source\": \(q(ids[s])),\n      \"target\": \(q(ids[t])),\n"
          + "      \"weight\": \(number(adjacency[index]))\n    }")
    }
    let promptTokens = tokens.map { q(tokenText($0)) }.joined(separator: ", ")
    let metadata = [
      "\"slug\": \(q(slug))", "\"scan\": \"vouch-relp\"", "\"transcoder_list\": []",
      "\"prompt_tokens\": [\(promptTokens)]",
      "\"prompt\": \(q(tokens.map(tokenText).joined()))",
      "\"node_threshold\": \(number(nodeThreshold))", "\"schema_version\": 1",
    ]
    let qParams = [
      "\"pinnedIds\": []", "\"supernodes\": []", "\"linkType\": \"both\"",
      "\"clickedId\": \"\"", "\"sg_pos\": \"\"",
    ]
    let text =
      "{\n  \"metadata\": {\n    " + metadata.joined(separator: ",\n    ") + "\n  },\n"
      + "  \"qParams\": {\n    " + qParams.joined(separator: ",\n    ") + "\n  },\n"
      + "  \"nodes\": [\n" + nodeLines.joined(separator: ",\n") + "\n  ],\n"
      + "  \"links\": [\n" + linkLines.joined(separator: ",\n") + "\n  ]\n}\n"
    return Data(text.utf8)
  }

  /// circuit-tracer's feature id: `(x + y)(x + y + 1)/2 + y`.
  static func cantorPairing(_ x: Int, _ y: Int) -> Int { (x + y) * (x + y + 1) / 2 + y }

  /// A number as written in graph files: `%.9g` (C locale), `0` for zero, and `null` for a
  /// non-finite value (JSON has none). The same double always gives the same bytes.
  public static func formatNumber(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    if value == 0 { return "0" }
    return String(format: "%.9g", value)
  }
}
