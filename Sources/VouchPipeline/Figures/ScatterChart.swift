/// Points at (x, y), one colour per series, optionally labelled (the λ of each sweep point).
///
/// Both axes span the data with half a tick of room and may be logarithmic. The CSV is long:
/// series, x, y and label per point.
struct ScatterChart: FigureChart {
  /// Title, axis titles, size.
  var frame: FigureFrame
  /// The series; each has `x` and `values` (y) of equal length, and `labels` empty or as long.
  var series: [ChartSeries]
  /// Logarithmic x axis.
  var logX = false
  /// Logarithmic y axis.
  var logY = false

  var document: SVGDocument {
    let xScale = AxisScale(
      covering: series.flatMap(\.x), logarithmic: logX, includeZero: false, padded: true)
    let yScale = AxisScale(
      covering: series.flatMap(\.values), logarithmic: logY, includeZero: false, padded: true)
    let (titleElements, titleBottom) = frame.titleBlock()
    let (legend, legendBottom) = frame.legend(
      series.map { .init(name: $0.name, color: $0.color, swatch: .dot) }, top: titleBottom + 4)
    let labels = yScale.ticks.indices.map { yScale.label($0) }
    let plot = frame.plotArea(top: legendBottom, tickLabels: labels)
    var body = titleElements + [legend]
    body.append(frame.yAxis(yScale, plot: plot))
    body.append(frame.xAxis(xScale, plot: plot))
    var marks = SVGElement("g", [("class", "series")])
    for item in series {
      for index in item.x.indices {
        let x = xScale.position(item.x[index], from: plot.left, to: plot.right)
        let y = yScale.position(item.values[index], from: plot.bottom, to: plot.top)
        marks.append(FigureFrame.dot(x: x, y: y, color: item.color, radius: 4.5))
        if index < item.labels.count {
          marks.append(
            FigureFrame.text(
              item.labels[index], x: x + 7, y: y - 6, size: FigureFrame.tickSize - 1))
        }
      }
    }
    body.append(marks)
    return SVGDocument(
      width: frame.width, height: frame.height, title: frame.title, description: describe(),
      body: body)
  }

  var csv: String {
    var rows = [["series", frame.x.text, frame.y.text, "label"]]
    for item in series {
      for index in item.x.indices {
        rows.append([
          item.name, SVGNumber.exact(item.x[index]), SVGNumber.exact(item.values[index]),
          index < item.labels.count ? item.labels[index] : "",
        ])
      }
    }
    return FigureCSV.text(rows)
  }

  private func describe() -> String {
    let note = frame.note.isEmpty ? "" : frame.note + " "
    let points = series.map(\.x.count).reduce(0, +)
    return note
      + "Scatter plot of \(points) points in \(series.count) series "
      + "(\(series.map(\.name).joined(separator: "; "))): \(frame.x.text)"
      + "\(logX ? ", log scale" : "") against \(frame.y.text)\(logY ? ", log scale" : ""). "
      + "The plotted numbers are in data.csv."
  }
}
