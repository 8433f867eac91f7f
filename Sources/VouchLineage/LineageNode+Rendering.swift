import VouchCore

extension LineageNode: Encodable {
  private enum CodingKeys: String, CodingKey { case path, digest, run, inputs }

  private struct RunSummary: Encodable {
    var pipeline: String
    var stage: String
    var runKey: RunKey
    var command: String?
    var parameters: [String: ParameterValue]
    var seed: UInt64?
    var code: CodeState
    var engine: EngineFingerprint
  }

  /// `{path, digest, run: {…} | null, inputs: [...]}`.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(artifact.path, forKey: .path)
    try container.encode(artifact.digest, forKey: .digest)
    if let run {
      try container.encode(
        RunSummary(
          pipeline: run.pipeline, stage: run.stage, runKey: run.runKey, command: run.command,
          parameters: run.parameters, seed: run.seed, code: run.code, engine: run.engine),
        forKey: .run)
    }
    try container.encode(inputs, forKey: .inputs)
  }

  /// The tree as indented text, one artifact or run per line, down to the raw inputs.
  public func textLines() -> [String] {
    var lines: [String] = []
    render(into: &lines, prefix: "", childPrefix: "")
    return lines
  }

  private func render(into lines: inout [String], prefix: String, childPrefix: String) {
    guard let run else {
      lines.append("\(prefix)\(artifact.path)  \(artifact.digest.short)  (raw input)")
      return
    }
    lines.append("\(prefix)\(artifact.path)  \(artifact.digest.short)")
    let code =
      (run.code.commit.map { $0.short } ?? "uncommitted") + (run.code.dirty ? " (dirty)" : "")
    lines.append("\(childPrefix)└─ run \(run.pipeline):\(run.stage)  \(run.runKey.short)")
    let detail = childPrefix + "   "
    if let command = run.command { lines.append("\(detail)command: \(command)") }
    if !run.parameters.isEmpty {
      lines.append("\(detail)parameters: \(ParameterValue.table(run.parameters).canonicalJSON)")
    }
    if let seed = run.seed { lines.append("\(detail)seed: \(seed)") }
    lines.append("\(detail)code: \(code)")
    lines.append("\(detail)engine: \(run.engine.summary)")
    for (index, input) in inputs.enumerated() {
      let last = index == inputs.count - 1
      input.render(
        into: &lines, prefix: detail + (last ? "└─ " : "├─ "),
        childPrefix: detail + (last ? "   " : "│  "))
    }
  }

  /// The tree as a Graphviz digraph: artifacts are boxes, runs are ellipses, edges follow the
  /// data (input → run → output).
  public func dot() -> String {
    var nodes: [String: String] = [:]
    var edges: Set<String> = []
    collect(into: &nodes, edges: &edges)
    var lines = ["digraph lineage {", "  rankdir=LR;", "  node [fontname=\"Helvetica\"];"]
    lines += nodes.keys.sorted().map { "  \"\($0)\" \(nodes[$0] ?? "");" }
    lines += edges.sorted().map { "  \($0);" }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  private func collect(into nodes: inout [String: String], edges: inout Set<String>) {
    let artifactID = "a:\(artifact.digest.hex)"
    nodes[artifactID] =
      "[shape=box, label=\"\(Self.escape(artifact.path))\\n\(artifact.digest.short)\"]"
    guard let run else { return }
    let runID = "r:\(run.runKey.digest.hex)"
    let label = Self.escape("\(run.pipeline):\(run.stage)")
    nodes[runID] = "[shape=ellipse, label=\"\(label)\\n\(run.runKey.short)\"]"
    edges.insert("\"\(runID)\" -> \"\(artifactID)\"")
    for input in inputs {
      edges.insert("\"a:\(input.artifact.digest.hex)\" -> \"\(runID)\"")
      input.collect(into: &nodes, edges: &edges)
    }
  }

  private static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
  }
}
