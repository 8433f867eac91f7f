/// One named series of a line, bar or scatter chart.
struct ChartSeries: Equatable {
  /// The name in the legend and the CSV header.
  var name: String
  /// The values (y for line and bar charts), one per x or category.
  var values: [Double]
  /// x values of a scatter series (line charts share one x; bars have categories).
  var x: [Double] = []
  /// Point labels of a scatter series (empty for none).
  var labels: [String] = []
  /// Its colour (`#rrggbb`), Okabe–Ito by default.
  var color: String
  /// Drawn dashed (line charts).
  var dashed: Bool = false
}

/// A chart that renders as a figure and its data.
protocol FigureChart {
  /// The figure.
  var document: SVGDocument { get }
  /// The plotted numbers, with a header row.
  var csv: String { get }
}
