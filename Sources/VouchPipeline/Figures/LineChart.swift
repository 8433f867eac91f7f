/// Several series over one shared x: a polyline with a marker at each point per series.
///
/// The y axis spans the data (not forced to 0); either axis may be logarithmic (the λ sweep).
/// The CSV has the x column, then one column per series.
struct LineChart: FigureChart {
  /// Title, axis titles, size.
  var frame: FigureFrame
  /// The x values, ascending or not (points are joined in this order).
  var x: [Double]
  /// The series, each with one value per x.
  var series: [ChartSeries]
  /// Logarithmic x axis (all x must be positive).
  var logX = false
  /// Logarithmic y axis (all values must be positive).
  var logY = false

  var document: SVGDocument {
    let xScale = AxisScale(covering: x, logarithmic: logX, includeZero: false)
    let yScale = AxisScale(
      covering: series.flatMap(\.values), logarithmic: logY, includeZero: false)
    let (titleElements, titleBottom) = frame.titleBlock()
    let (legend, legendBottom) = frame.legend(
      series.map { .init(name: $0.name, color: $0.color, swatch: .line(dashed: $0.dashed)) },
      top: titleBottom + 4)
    let labels = yScale.ticks.indices.map { yScale.label($0) }
    let plot = frame.plotArea(top: legendBottom, tickLabels: labels)
    var body = titleElements + [legend]
    body.append(frame.yAxis(yScale, plot: plot))
    body.append(frame.xAxis(xScale, plot: plot))
    var marks = SVGElement("g", [("class", "series")])
    for item in series {
      let points = zip(x, item.values).map { pair in
        (
          xScale.position(pair.0, from: plot.left, to: plot.right),
          yScale.position(pair.1, from: plot.bottom, to: plot.top)
        )
      }
      var line = SVGElement(
        "polyline",
        [
          (
            "points",
            points.map { "\(SVGNumber.text($0.0)),\(SVGNumber.text($0.1))" }
              .joined(separator: " ")
          ),
          ("fill", "none"), ("stroke", item.color), ("stroke-width", "2"),
        ])
      if item.dashed { line.attributes.append(("stroke-dasharray", "6 4")) }
      marks.append(line)
      marks.append(contentsOf: points.map { FigureFrame.dot(x: $0.0, y: $0.1, color: item.color) })
    }
    body.append(marks)
    return SVGDocument(
      width: frame.width, height: frame.height, title: frame.title,
      description: describe(xScale: xScale, yScale: yScale), body: body)
  }

  var csv: String {
    let header = [frame.x.text] + series.map(\.name)
    let rows = x.indices.map { index in
      [SVGNumber.exact(x[index])] + series.map { SVGNumber.exact($0.values[index]) }
    }
    return FigureCSV.text([header] + rows)
  }

  private func describe(xScale: AxisScale, yScale: AxisScale) -> String {
    let names = series.map(\.name).joined(separator: "; ")
    let note = frame.note.isEmpty ? "" : frame.note + " "
    return note
      + "Line chart of \(series.count) series (\(names)) over \(x.count) values of "
      + "\(frame.x.text)\(logX ? ", log scale" : ""), from \(xScale.label(0)) to "
      + "\(xScale.label(xScale.ticks.count - 1)); vertical axis \(frame.y.text)"
      + "\(logY ? ", log scale" : ""). The plotted numbers are in data.csv."
  }
}
