/// A stage's lineage as a small inline SVG: its inputs on the left, the stage in the middle, its
/// outputs on the right, an arrow for each edge.
///
/// Drawn here rather than by graphviz so that a report needs no other program and costs no process
/// per stage; the layout is a pure function of the labels, so the bytes are deterministic. Text is
/// real `<text>` (selectable, read by screen readers), the graph has a `<title>` and `<desc>`.
struct LineageSVG {
  /// A box: its label (shortened to fit) and a tooltip (the full label and its digest).
  struct Node {
    var label: String
    var detail: String
  }

  var stage: Node
  var inputs: [Node]
  var outputs: [Node]

  private static let boxHeight = 26
  private static let gap = 8
  private static let characterWidth = 7
  private static let maximumCharacters = 40

  /// The `<svg>` element.
  func render() -> String {
    let columnWidth = { (nodes: [Node]) -> Int in
      let longest = nodes.map { min($0.label.count, Self.maximumCharacters) }.max() ?? 8
      return max(90, longest * Self.characterWidth + 20)
    }
    let left = columnWidth(inputs)
    let middle = columnWidth([stage])
    let right = columnWidth(outputs)
    let arrow = 70
    let rows = max(inputs.count, outputs.count, 1)
    let height = rows * (Self.boxHeight + Self.gap) + Self.gap
    let width = left + middle + right + 2 * arrow + 20
    let middleX = 10 + left + arrow
    let rightX = middleX + middle + arrow
    let stageY = (height - Self.boxHeight) / 2
    var svg = HTMLWriter()
    svg.open(
      "svg",
      [
        ("xmlns", "http://www.w3.org/2000/svg"), ("class", "lineage"), ("role", "img"),
        ("viewBox", "0 0 \(width) \(height)"), ("width", "\(width)"), ("height", "\(height)"),
      ])
    svg.element("title", text: "Lineage of stage \(stage.label)")
    svg.element(
      "desc",
      text: "Inputs: \(names(inputs)). Stage: \(stage.label). Outputs: \(names(outputs)).")
    func top(_ index: Int, of count: Int) -> Int {
      let block = count * (Self.boxHeight + Self.gap) - Self.gap
      return (height - block) / 2 + index * (Self.boxHeight + Self.gap)
    }
    for (index, input) in inputs.enumerated() {
      let y = top(index, of: inputs.count)
      box(&svg, input, x: 10, y: y, width: left, css: "input")
      edge(
        &svg, from: (10 + left, y + Self.boxHeight / 2), to: (middleX, stageY + Self.boxHeight / 2))
    }
    box(&svg, stage, x: middleX, y: stageY, width: middle, css: "stage")
    for (index, output) in outputs.enumerated() {
      let y = top(index, of: outputs.count)
      edge(
        &svg, from: (middleX + middle, stageY + Self.boxHeight / 2),
        to: (rightX, y + Self.boxHeight / 2))
      box(&svg, output, x: rightX, y: y, width: right, css: "output")
    }
    svg.close("svg")
    return svg.output
  }

  private func names(_ nodes: [Node]) -> String {
    nodes.isEmpty ? "none" : nodes.map(\.label).joined(separator: ", ")
  }

  private func box(_ svg: inout HTMLWriter, _ node: Node, x: Int, y: Int, width: Int, css: String) {
    svg.open("g", [("class", css)])
    svg.element("title", text: node.detail)
    svg.element(
      "rect",
      [
        ("x", "\(x)"), ("y", "\(y)"), ("width", "\(width)"), ("height", "\(Self.boxHeight)"),
        ("rx", "4"),
      ])
    let label =
      node.label.count > Self.maximumCharacters
      ? "…" + node.label.suffix(Self.maximumCharacters - 1) : node.label
    svg.element(
      "text", [("x", "\(x + 10)"), ("y", "\(y + Self.boxHeight / 2 + 4)")], text: label)
    svg.close("g")
  }

  private func edge(_ svg: inout HTMLWriter, from start: (Int, Int), to end: (Int, Int)) {
    svg.element(
      "line",
      [
        ("x1", "\(start.0)"), ("y1", "\(start.1)"), ("x2", "\(end.0 - 7)"), ("y2", "\(end.1)"),
        ("class", "edge"),
      ])
    svg.element(
      "polygon",
      [
        ("points", "\(end.0),\(end.1) \(end.0 - 8),\(end.1 - 4) \(end.0 - 8),\(end.1 + 4)"),
        ("class", "arrow"),
      ])
  }
}
