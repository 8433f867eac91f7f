/// Categories along x, one bar per series in each category's group, from a baseline at 0
/// (negative values hang below it).
///
/// Category labels turn by 35° when they would not fit under their group. The CSV has the
/// category column, then one column per series.
struct GroupedBarChart: FigureChart {
  /// Title, axis titles, size.
  var frame: FigureFrame
  /// The category labels, left to right.
  var categories: [String]
  /// The series, each with one value per category.
  var series: [ChartSeries]

  /// The tilt of category labels that do not fit horizontally.
  private static let tilt = -35.0

  var document: SVGDocument {
    let yScale = AxisScale(
      covering: series.flatMap(\.values), logarithmic: false, includeZero: true)
    let (titleElements, titleBottom) = frame.titleBlock()
    let (legend, legendBottom) = frame.legend(
      series.map { .init(name: $0.name, color: $0.color, swatch: .box) }, top: titleBottom + 4)
    let labels = yScale.ticks.indices.map { yScale.label($0) }
    var plot = frame.plotArea(top: legendBottom, tickLabels: labels)
    let band = (plot.right - plot.left) / Double(max(categories.count, 1))
    let widest = categories.map { FigureFrame.textWidth($0, size: FigureFrame.tickSize) }.max() ?? 0
    let tilted = widest > band - 4
    if tilted {
      // Room for the tilted labels: their vertical extent is the widest label × sin 35°.
      plot = frame.plotArea(top: legendBottom, tickLabels: labels, bottomExtra: widest * 0.574)
    }
    var body = titleElements + [legend]
    body.append(frame.yAxis(yScale, plot: plot))
    let zero = yScale.position(0, from: plot.bottom, to: plot.top)
    var marks = SVGElement("g", [("class", "series")])
    let barWidth = band * 0.8 / Double(max(series.count, 1))
    for (column, category) in categories.enumerated() {
      let groupLeft = plot.left + band * Double(column) + band * 0.1
      for (index, item) in series.enumerated() {
        let top = yScale.position(item.values[column], from: plot.bottom, to: plot.top)
        marks.append(
          SVGElement(
            "rect",
            [
              ("x", SVGNumber.text(groupLeft + barWidth * Double(index))),
              ("y", SVGNumber.text(min(top, zero))), ("width", SVGNumber.text(barWidth)),
              ("height", SVGNumber.text(abs(zero - top))), ("fill", item.color),
            ]))
      }
      let center = plot.left + band * (Double(column) + 0.5)
      let labelY = plot.bottom + 6 + FigureFrame.tickSize
      marks.append(
        FigureFrame.text(
          category, x: center, y: labelY, size: FigureFrame.tickSize,
          anchor: tilted ? "end" : "middle", rotate: tilted ? Self.tilt : nil))
    }
    body.append(marks)
    body.append(FigureFrame.line(plot.left, zero, plot.right, zero, color: FigurePalette.ink))
    body.append(frame.xTitle(plot))
    return SVGDocument(
      width: frame.width, height: frame.height, title: frame.title, description: describe(),
      body: body)
  }

  var csv: String {
    let header = [frame.x.text] + series.map(\.name)
    let rows = categories.indices.map { index in
      [categories[index]] + series.map { SVGNumber.exact($0.values[index]) }
    }
    return FigureCSV.text([header] + rows)
  }

  private func describe() -> String {
    let note = frame.note.isEmpty ? "" : frame.note + " "
    return note
      + "Grouped bar chart: \(frame.x.text) (\(categories.joined(separator: "; "))) "
      + "against \(frame.y.text), one bar per series (\(series.map(\.name).joined(separator: "; "))). "
      + "The plotted numbers are in data.csv."
  }
}
