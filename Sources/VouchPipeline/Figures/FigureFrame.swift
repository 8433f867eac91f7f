/// What every chart shares: canvas size, title, description, axis titles, and the drawing of
/// the title, the legend and the axes, so the chart types only place their marks.
struct FigureFrame {
  /// An axis title: `label (unit)`.
  struct AxisTitle: Equatable {
    /// What the axis measures ("KL(R ‖ model)").
    var label: String
    /// Its unit ("nats"); empty for a pure number such as a fraction.
    var unit: String

    /// The text drawn beside the axis.
    var text: String { unit.isEmpty ? label : "\(label) (\(unit))" }
  }

  /// A legend entry.
  struct LegendItem {
    /// How the swatch looks.
    enum Swatch { case line(dashed: Bool), box, dot }
    /// The series name.
    var name: String
    /// Its colour.
    var color: String
    /// Its swatch.
    var swatch: Swatch
  }

  /// Canvas width in pixels.
  var width: Double = 640
  /// Canvas height in pixels.
  var height: Double = 400
  /// The title, stating the finding (wrapped to the canvas width).
  var title: String
  /// Extra text for the `<desc>` element, before the generated account of the axes.
  var note: String = ""
  /// The horizontal axis title.
  var x: AxisTitle
  /// The vertical axis title.
  var y: AxisTitle

  /// Font sizes: title, axis titles, tick labels and legend.
  static let titleSize = 15.0
  static let labelSize = 12.0
  static let tickSize = 11.0
  /// Outer margin.
  static let margin = 12.0

  /// An approximate rendered width of `text` at `size` (DejaVu Sans averages about 0.6 em).
  static func textWidth(_ text: String, size: Double) -> Double {
    Double(text.count) * size * 0.6
  }

  /// `text` broken at spaces into lines no wider than `width` (a longer word stays whole).
  static func wrap(_ text: String, width: Double, size: Double) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      let candidate = line.isEmpty ? String(word) : line + " " + word
      if !line.isEmpty, textWidth(candidate, size: size) > width {
        lines.append(line)
        line = String(word)
      } else {
        line = candidate
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// A `<text>` element.
  static func text(
    _ content: String, x: Double, y: Double, size: Double, anchor: String = "start",
    bold: Bool = false, fill: String = FigurePalette.ink, rotate: Double? = nil
  ) -> SVGElement {
    var attributes = [
      ("x", SVGNumber.text(x)), ("y", SVGNumber.text(y)), ("font-size", SVGNumber.text(size)),
    ]
    if anchor != "start" { attributes.append(("text-anchor", anchor)) }
    if bold { attributes.append(("font-weight", "bold")) }
    attributes.append(("fill", fill))
    if let rotate {
      attributes.append(
        ("transform", "rotate(\(SVGNumber.text(rotate)) \(SVGNumber.text(x)) \(SVGNumber.text(y)))")
      )
    }
    return SVGElement("text", attributes, text: content)
  }

  /// A straight line.
  static func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String, width: Double = 1
  ) -> SVGElement {
    SVGElement(
      "line",
      [
        ("x1", SVGNumber.text(x1)), ("y1", SVGNumber.text(y1)), ("x2", SVGNumber.text(x2)),
        ("y2", SVGNumber.text(y2)), ("stroke", color), ("stroke-width", SVGNumber.text(width)),
      ])
  }

  /// The title lines from the top margin; returns them and the y below them.
  func titleBlock() -> (elements: [SVGElement], bottom: Double) {
    let lines = Self.wrap(title, width: width - 2 * Self.margin, size: Self.titleSize)
    var y = Self.margin + Self.titleSize
    var elements: [SVGElement] = []
    for line in lines {
      elements.append(Self.text(line, x: Self.margin, y: y, size: Self.titleSize, bold: true))
      y += Self.titleSize * 1.3
    }
    return (elements, y - Self.titleSize * 0.3)
  }

  /// The legend as rows of swatch + name from `top`, wrapped to the canvas width; returns its
  /// elements (in a `<g>`) and the y below it.
  func legend(_ items: [LegendItem], top: Double) -> (element: SVGElement, bottom: Double) {
    var group = SVGElement("g", [("class", "legend")])
    let size = Self.tickSize
    let rowHeight = size * 1.6
    var x = Self.margin
    var y = top + rowHeight / 2
    for item in items {
      let itemWidth = 22 + Self.textWidth(item.name, size: size) + 16
      if x > Self.margin, x + itemWidth > width - Self.margin {
        x = Self.margin
        y += rowHeight
      }
      switch item.swatch {
      case .line(let dashed):
        var line = Self.line(x, y, x + 18, y, color: item.color, width: 2)
        if dashed { line.attributes.append(("stroke-dasharray", "5 3")) }
        group.append(line)
      case .box:
        group.append(
          SVGElement(
            "rect",
            [
              ("x", SVGNumber.text(x + 3)), ("y", SVGNumber.text(y - 6)), ("width", "12"),
              ("height", "12"), ("fill", item.color),
            ]))
      case .dot:
        group.append(Self.dot(x: x + 9, y: y, color: item.color))
      }
      group.append(Self.text(item.name, x: x + 22, y: y + size * 0.35, size: size))
      x += itemWidth
    }
    return (group, y + rowHeight / 2)
  }

  /// A point marker.
  static func dot(x: Double, y: Double, color: String, radius: Double = 3.5) -> SVGElement {
    SVGElement(
      "circle",
      [
        ("cx", SVGNumber.text(x)), ("cy", SVGNumber.text(y)), ("r", SVGNumber.text(radius)),
        ("fill", color),
      ])
  }

  /// A y axis on `plot`'s left edge: grid lines, ticks, labels and the rotated axis title.
  func yAxis(_ scale: AxisScale, plot: PlotArea) -> SVGElement {
    var group = SVGElement("g", [("class", "y-axis")])
    for (index, tick) in scale.ticks.enumerated() {
      let y = scale.position(tick, from: plot.bottom, to: plot.top)
      group.append(Self.line(plot.left, y, plot.right, y, color: FigurePalette.grid))
      group.append(Self.line(plot.left - 4, y, plot.left, y, color: FigurePalette.ink))
      group.append(
        Self.text(
          scale.label(index), x: plot.left - 7, y: y + Self.tickSize * 0.35, size: Self.tickSize,
          anchor: "end"))
    }
    group.append(Self.line(plot.left, plot.top, plot.left, plot.bottom, color: FigurePalette.ink))
    group.append(Self.verticalTitle(y.text, x: Self.margin, plot: plot, turn: -90))
    return group
  }

  /// The font size at which `text` fits in `length` pixels: the label size, or smaller down
  /// to 9 px (a longer title is the author's to shorten).
  static func fittingSize(_ text: String, length: Double) -> Double {
    let width = textWidth(text, size: labelSize)
    return width <= length ? labelSize : max(9, labelSize * length / width)
  }

  /// An axis title turned by `turn` degrees (−90 reads upward, 90 downward) along `plot`'s
  /// height, its glyphs just right of `x`.
  static func verticalTitle(_ text: String, x: Double, plot: PlotArea, turn: Double)
    -> SVGElement
  {
    let size = fittingSize(text, length: plot.bottom - plot.top)
    // Turned −90° the glyphs lie left of the baseline, turned 90° right of it.
    let baseline = turn < 0 ? x + size : x
    return Self.text(
      text, x: baseline, y: (plot.top + plot.bottom) / 2, size: size, anchor: "middle",
      rotate: turn)
  }

  /// An x axis on `plot`'s bottom edge with numeric ticks and the axis title.
  func xAxis(_ scale: AxisScale, plot: PlotArea) -> SVGElement {
    var group = SVGElement("g", [("class", "x-axis")])
    for (index, tick) in scale.ticks.enumerated() {
      let x = scale.position(tick, from: plot.left, to: plot.right)
      group.append(Self.line(x, plot.top, x, plot.bottom, color: FigurePalette.grid))
      group.append(Self.line(x, plot.bottom, x, plot.bottom + 4, color: FigurePalette.ink))
      group.append(
        Self.text(
          scale.label(index), x: x, y: plot.bottom + 6 + Self.tickSize, size: Self.tickSize,
          anchor: "middle"))
    }
    group.append(xBaseline(plot))
    group.append(xTitle(plot))
    return group
  }

  /// The x axis line.
  func xBaseline(_ plot: PlotArea) -> SVGElement {
    Self.line(plot.left, plot.bottom, plot.right, plot.bottom, color: FigurePalette.ink)
  }

  /// The x axis title, centred under the plot at the canvas's bottom margin.
  func xTitle(_ plot: PlotArea) -> SVGElement {
    Self.text(
      x.text, x: (plot.left + plot.right) / 2, y: height - Self.margin,
      size: Self.fittingSize(x.text, length: width - 2 * Self.margin), anchor: "middle")
  }

  /// The plot area below `top`, leaving room for y tick labels as wide as `tickLabels`, the x
  /// ticks, the axis titles and `right` pixels on the right.
  func plotArea(top: Double, tickLabels: [String], bottomExtra: Double = 0, right: Double = 0)
    -> PlotArea
  {
    let widest = tickLabels.map { Self.textWidth($0, size: Self.tickSize) }.max() ?? 0
    let left = Self.margin + Self.labelSize * 1.6 + widest + 10
    let bottom = height - Self.margin - Self.labelSize - 8 - Self.tickSize - 8 - bottomExtra
    return PlotArea(left: left, top: top + 6, right: width - Self.margin - right, bottom: bottom)
  }
}

/// The rectangle marks are drawn in, in canvas pixels.
struct PlotArea: Equatable {
  var left: Double
  var top: Double
  var right: Double
  var bottom: Double
}
