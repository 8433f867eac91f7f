// The pruned graph as Graphviz DOT: one node per kept node, one edge per kept link.
import Foundation

extension AttributionGraph {
  /// The pruned graph in Graphviz DOT, byte-deterministic.
  ///
  /// Nodes are ranked by layer (tokens at the bottom, targets on top); features are labelled
  /// `L:P:I` with their activation, tokens with their text. Edges carry their weight as label
  /// and are coloured by sign (Okabe–Ito blue positive, vermillion negative), pen width growing with `|A|`
  /// relative to the largest kept edge. Numbers use ``formatNumber(_:)``.
  /// - Parameters:
  ///   - pruning: the kept nodes and edges.
  ///   - tokenText: the text of one token id.
  /// - Returns: UTF-8 DOT text ending in a newline.
  public func dot(pruning: AttributionPruning, tokenText: (Int) -> String) -> Data {
    let n = nodeCount
    let number = Self.formatNumber
    var lines = ["digraph attribution {", "  rankdir=BT;", "  node [shape=box, fontsize=10];"]
    func quoted(_ text: String) -> String {
      "\""
        + text.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
    // A newline token would print as an empty line.
    func visible(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "↵") }
    var ranks: [String: [String]] = [:]
    for index in 0..<n where pruning.nodes[index] {
      let (name, label, rank): (String, String, String)
      if index < features.count {
        let a = features[index]
        name = "f\(index)"
        label = "\(a)\nf=\(number(activations[index]))"
        rank = "layer\(a.layer)"
      } else if index < features.count + tokens.count {
        let position = index - features.count
        name = "t\(position)"
        label = "\(position): " + visible(tokenText(tokens[position]))
        rank = "tokens"
      } else {
        let k = index - features.count - tokens.count
        name = "y\(k)"
        switch targets[k].kind {
        case .logit(let token):
          label = "logit " + visible(tokenText(token)) + " p=\(number(targets[k].weight))"
        case .feature(let a): label = "target \(a)"
        }
        rank = "targets"
      }
      lines.append("  \(name) [label=\(quoted(label))];")
      ranks[rank, default: []].append(name)
    }
    for rank in ranks.keys.sorted() {
      lines.append("  { rank=same; " + (ranks[rank] ?? []).joined(separator: "; ") + "; }")
    }
    func name(_ index: Int) -> String {
      if index < features.count { return "f\(index)" }
      if index < features.count + tokens.count { return "t\(index - features.count)" }
      return "y\(index - features.count - tokens.count)"
    }
    let largest = (0..<(n * n)).filter { pruning.edges[$0] }.map { abs(adjacency[$0]) }.max() ?? 1
    for index in 0..<(n * n) where pruning.edges[index] {
      let (t, s) = (index / n, index % n)
      guard pruning.nodes[t], pruning.nodes[s] else { continue }
      let weight = adjacency[index]
      let width = 0.5 + 3 * abs(weight) / max(largest, 1e-300)
      lines.append(
        "  \(name(s)) -> \(name(t)) [label=\(quoted(number(weight))), "
          + "color=\"\(weight >= 0 ? "#0072B2" : "#D55E00")\", penwidth=\(String(format: "%.2f", width))];"
      )
    }
    lines.append("}")
    return Data((lines.joined(separator: "\n") + "\n").utf8)
  }
}
