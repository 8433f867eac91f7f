/// A matrix of values as coloured cells (viridis), rows top to bottom and columns left to right,
/// with a colour bar on the right; each cell also shows its value as text when there is room.
///
/// The CSV is the matrix: a header of the column labels, then one row per row label.
struct HeatMapChart: FigureChart {
  /// Title, axis titles (x: the columns, y: the rows), size.
  var frame: FigureFrame
  /// The colour bar's title.
  var value: FigureFrame.AxisTitle
  /// Row labels, top to bottom.
  var rows: [String]
  /// Column labels, left to right.
  var columns: [String]
  /// `values[row][column]`.
  var values: [[Double]]

  var document: SVGDocument {
    let scale = AxisScale(covering: values.flatMap { $0 }, logarithmic: false, includeZero: false)
    let (titleElements, titleBottom) = frame.titleBlock()
    let barLabels = scale.ticks.indices.map { scale.label($0) }
    let barLabelWidth =
      barLabels.map { FigureFrame.textWidth($0, size: FigureFrame.tickSize) }.max() ?? 0
    let right = 14 + 23 + barLabelWidth + 6 + FigureFrame.labelSize + 2
    var plot = frame.plotArea(top: titleBottom + 8, tickLabels: rows, right: right)
    let cellWidth = (plot.right - plot.left) / Double(max(columns.count, 1))
    let widest = columns.map { FigureFrame.textWidth($0, size: FigureFrame.tickSize) }.max() ?? 0
    let tilted = widest > cellWidth - 4
    if tilted {
      plot = frame.plotArea(
        top: titleBottom + 8, tickLabels: rows, bottomExtra: widest * 0.574, right: right)
    }
    let cellHeight = (plot.bottom - plot.top) / Double(max(rows.count, 1))
    var body = titleElements
    var cells = SVGElement("g", [("class", "cells")])
    let step = scale.ticks.count > 1 ? scale.ticks[1] - scale.ticks[0] : 1
    let places = min(SVGNumber.decimals(forStep: step) + 1, 6)
    let showValues =
      cellHeight >= FigureFrame.tickSize + 4
      && cellWidth >= 2
        + FigureFrame.textWidth(
          SVGNumber.text(scale.upper, decimals: places, fixed: true),
          size: FigureFrame.tickSize - 2)
    for (row, label) in rows.enumerated() {
      let y = plot.top + cellHeight * Double(row)
      cells.append(
        FigureFrame.text(
          label, x: plot.left - 6, y: y + cellHeight / 2 + FigureFrame.tickSize * 0.35,
          size: FigureFrame.tickSize, anchor: "end"))
      for column in columns.indices {
        let x = plot.left + cellWidth * Double(column)
        let number = values[row][column]
        let colour = FigurePalette.sequential(fraction(number, scale))
        cells.append(
          SVGElement(
            "rect",
            [
              ("x", SVGNumber.text(x)), ("y", SVGNumber.text(y)),
              ("width", SVGNumber.text(cellWidth)), ("height", SVGNumber.text(cellHeight)),
              ("fill", colour.hex),
            ]))
        if showValues {
          cells.append(
            FigureFrame.text(
              SVGNumber.text(number, decimals: places, fixed: true), x: x + cellWidth / 2,
              y: y + cellHeight / 2 + (FigureFrame.tickSize - 2) * 0.35,
              size: FigureFrame.tickSize - 2, anchor: "middle",
              fill: colour.darkText ? "#000000" : "#ffffff"))
        }
      }
    }
    for (column, label) in columns.enumerated() {
      let center = plot.left + cellWidth * (Double(column) + 0.5)
      cells.append(
        FigureFrame.text(
          label, x: center, y: plot.bottom + 6 + FigureFrame.tickSize,
          size: FigureFrame.tickSize, anchor: tilted ? "end" : "middle",
          rotate: tilted ? -35 : nil))
    }
    body.append(cells)
    body.append(colourBar(scale, plot: plot))
    body.append(rowTitle(plot))
    body.append(frame.xTitle(plot))
    return SVGDocument(
      width: frame.width, height: frame.height, title: frame.title, description: describe(scale),
      body: body)
  }

  var csv: String {
    let header = ["\(frame.y.text) \\ \(frame.x.text)"] + columns
    let lines = rows.indices.map { [rows[$0]] + values[$0].map(SVGNumber.exact) }
    return FigureCSV.text([header] + lines)
  }

  private func fraction(_ number: Double, _ scale: AxisScale) -> Double {
    scale.upper == scale.lower ? 0 : (number - scale.lower) / (scale.upper - scale.lower)
  }

  private func rowTitle(_ plot: PlotArea) -> SVGElement {
    FigureFrame.verticalTitle(frame.y.text, x: FigureFrame.margin, plot: plot, turn: -90)
  }

  /// A vertical bar of 32 colour steps from the scale's bottom to its top, with ticks.
  private func colourBar(_ scale: AxisScale, plot: PlotArea) -> SVGElement {
    var group = SVGElement("g", [("class", "colour-bar")])
    let left = plot.right + 14
    let steps = 32
    let stepHeight = (plot.bottom - plot.top) / Double(steps)
    for step in 0..<steps {
      let colour = FigurePalette.sequential((Double(step) + 0.5) / Double(steps))
      group.append(
        SVGElement(
          "rect",
          [
            ("x", SVGNumber.text(left)),
            ("y", SVGNumber.text(plot.bottom - stepHeight * Double(step + 1))),
            ("width", "16"), ("height", SVGNumber.text(stepHeight + 0.5)), ("fill", colour.hex),
          ]))
    }
    var widest = 0.0
    for (index, tick) in scale.ticks.enumerated() {
      let y = scale.position(tick, from: plot.bottom, to: plot.top)
      group.append(FigureFrame.line(left + 16, y, left + 20, y, color: FigurePalette.ink))
      let label = scale.label(index)
      widest = max(widest, FigureFrame.textWidth(label, size: FigureFrame.tickSize))
      group.append(
        FigureFrame.text(
          label, x: left + 23, y: y + FigureFrame.tickSize * 0.35, size: FigureFrame.tickSize))
    }
    group.append(
      FigureFrame.verticalTitle(value.text, x: left + 23 + widest + 6, plot: plot, turn: 90))
    return group
  }

  private func describe(_ scale: AxisScale) -> String {
    let note = frame.note.isEmpty ? "" : frame.note + " "
    let low = values.flatMap { $0 }.min() ?? 0
    let high = values.flatMap { $0 }.max() ?? 0
    return note
      + "Heat map of \(value.text): \(rows.count) rows (\(frame.y.text): "
      + "\(rows.joined(separator: "; "))) by \(columns.count) columns (\(frame.x.text): "
      + "\(columns.joined(separator: "; "))); values from \(SVGNumber.text(low, decimals: 6)) "
      + "to \(SVGNumber.text(high, decimals: 6)), colour scale viridis from "
      + "\(scale.label(0)) to \(scale.label(scale.ticks.count - 1)). "
      + "The plotted numbers are in data.csv."
  }
}
