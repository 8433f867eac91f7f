import Foundation
import VouchLineage

/// A `figure` stage's parameters, checked without reading any file (``init(_:)``), then
/// resolved against the input files into a chart (``chart(_:)``).
struct FigureSpecification {
  /// The chart kinds.
  enum Chart: String, CaseIterable {
    case line, bar, heatmap, scatter, graph
  }

  /// One entry of `series`.
  struct Series {
    var name: String
    /// y values (line, bar, scatter).
    var values: FigureListSource
    /// x values (scatter).
    var x: FigureListSource?
    var labels: [String] = []
    var color: String?
    var dashed = false
  }

  let parameters: StageParameters
  private(set) var chart = Chart.line
  var frame = FigureFrame(title: "", x: .init(label: "", unit: ""), y: .init(label: "", unit: ""))
  var x: FigureListSource?
  var logX = false
  var logY = false
  var series: [Series] = []
  var categories: [String] = []
  var rows: [String] = []
  var columns: [String] = []
  /// Heat map cells, `cells[row][column]`, or one list per row.
  var cells: [[FigureScalarSource]] = []
  var rowLists: [FigureListSource] = []
  var value = FigureFrame.AxisTitle(label: "", unit: "")
  /// The `.dot` file of a graph figure.
  var graph: String?
  /// The layout direction replacing the graph's own (`LR`, `RL`, `TB`, `BT`).
  var rankdir: String?

  /// The keys every chart takes, and each chart's own.
  static let common: Set<String> = ["chart", "title", "description", "width", "height"]
  static let axes: Set<String> = ["x-label", "x-unit", "y-label", "y-unit"]
  static let keys: [Chart: Set<String>] = [
    .line: axes.union(["x", "x-log", "y-log", "series"]),
    .bar: axes.union(["categories", "category-keys", "series"]),
    .scatter: axes.union(["x-log", "y-log", "series"]),
    .heatmap: axes.union([
      "rows", "row-keys", "columns", "column-keys", "cells", "values", "value-label", "value-unit",
    ]),
    .graph: ["graph", "rankdir"],
  ]

  /// Parses and checks the parameters of `stage`.
  /// - Throws: `PipelineError.usage` naming the parameter and the problem.
  init(_ stage: StageDefinition) throws {
    let parameters = StageParameters(stage: stage)
    self.parameters = parameters
    let name = try parameters.choice("chart", Chart.allCases.map(\.rawValue))
    chart = Chart(rawValue: name) ?? .line
    try parameters.rejectUnknown(Self.common.union(Self.keys[chart] ?? []))
    let width = try parameters.integer("width", in: 240...4000, required: false) ?? 640
    let height = try parameters.integer("height", in: 160...4000, required: false) ?? 400
    let hasAxes = chart != .graph
    frame = FigureFrame(
      width: Double(width), height: Double(height), title: try nonEmpty("title"),
      note: try parameters.string("description", required: false) ?? "",
      x: hasAxes ? try axis("x") : .init(label: "", unit: ""),
      y: hasAxes ? try axis("y") : .init(label: "", unit: ""))
    switch chart {
    case .line:
      x = try stage.parameters["x"].map { try list($0, key: "x") }
      logX = try flag("x-log")
      logY = try flag("y-log")
      series = try seriesList(keys: ["name", "values", "color", "dashed"])
    case .bar:
      categories = try labels("categories")
      let keys = try labelKeys("category-keys", count: categories.count) ?? categories
      series = try seriesList(keys: ["name", "values", "color"], template: ("category", keys))
    case .scatter:
      logX = try flag("x-log")
      logY = try flag("y-log")
      series = try seriesList(keys: ["name", "x", "y", "labels", "color"])
    case .heatmap:
      try parseHeatMap(stage)
    case .graph:
      let path = try parameters.requiredString("graph")
      guard path.hasSuffix(".dot") else {
        throw parameters.error("graph", "is '\(path)'; name a graphviz .dot file")
      }
      graph = path
      if stage.parameters["rankdir"] != nil {
        rankdir = try parameters.choice("rankdir", ["LR", "RL", "TB", "BT"])
      }
    }
  }

  private mutating func parseHeatMap(_ stage: StageDefinition) throws {
    rows = try labels("rows")
    columns = try labels("columns")
    value = FigureFrame.AxisTitle(
      label: try nonEmpty("value-label"), unit: try unit("value-unit"))
    let rowKeys = try labelKeys("row-keys", count: rows.count) ?? rows
    let columnKeys = try labelKeys("column-keys", count: columns.count) ?? columns
    switch (stage.parameters["cells"], stage.parameters["values"]) {
    case (.some, .some):
      throw parameters.error("values", "conflicts with 'cells'; give one of them")
    case (nil, nil):
      throw parameters.error(
        "cells", "is missing; give a reference template with {row} and {column}, or `values`")
    case (.some, nil):
      let template = try parameters.requiredString("cells")
      guard template.contains("{row}") || template.contains("{column}") else {
        throw parameters.error("cells", "is '\(template)', which has no {row} or {column}")
      }
      cells = try rowKeys.map { row in
        try columnKeys.map { column in
          let text = template.replacingOccurrences(of: "{row}", with: row)
            .replacingOccurrences(of: "{column}", with: column)
          do { return .reference(try FigureReference(parsing: text)) } catch let error
            as FigureDataError
          {
            throw parameters.error("cells", error.problem)
          }
        }
      }
    case (nil, .some(let values)):
      guard case .array(let items) = values, items.count == rows.count else {
        throw parameters.error(
          "values", "must be a list of \(rows.count) rows (one per entry of `rows`)")
      }
      rowLists = try items.map { try list($0, key: "values") }
    }
  }

  // MARK: Parameter readers

  private func nonEmpty(_ key: String) throws -> String {
    let text = try parameters.requiredString(key)
    guard !text.allSatisfy(\.isWhitespace) else { throw parameters.error(key, "is empty") }
    return text
  }

  private func unit(_ key: String) throws -> String {
    guard stage.parameters[key] != nil else {
      throw parameters.error(
        key, "is missing; add `\(key) = \"…\"` (the unit, or \"\" for a pure number)")
    }
    return try parameters.requiredString(key)
  }

  private var stage: StageDefinition { parameters.stage }

  private func axis(_ name: String) throws -> FigureFrame.AxisTitle {
    .init(label: try nonEmpty("\(name)-label"), unit: try unit("\(name)-unit"))
  }

  private func flag(_ key: String) throws -> Bool {
    switch stage.parameters[key] {
    case nil: return false
    case .bool(let flag): return flag
    case .string("true"): return true
    case .string("false"): return false
    case .some(let value):
      throw parameters.error(key, "must be true or false, not \(value.environmentText)")
    }
  }

  private func labels(_ key: String) throws -> [String] {
    guard case .array(let items)? = stage.parameters[key], !items.isEmpty else {
      throw parameters.error(key, "must be a non-empty list of labels")
    }
    return try items.map {
      guard case .string(let text) = $0 else {
        throw parameters.error(key, "must list strings, not \($0.environmentText)")
      }
      return text
    }
  }

  private func labelKeys(_ key: String, count: Int) throws -> [String]? {
    guard stage.parameters[key] != nil else { return nil }
    let keys = try labels(key)
    guard keys.count == count else {
      throw parameters.error(
        key, "has \(keys.count) entries for \(count) labels; give one per label")
    }
    return keys
  }

  private func list(
    _ value: ParameterValue, key: String, template: (String, [String])? = nil
  ) throws -> FigureListSource {
    do { return try FigureListSource(value, template: template) } catch let error
      as FigureDataError
    {
      throw parameters.error(key, error.problem)
    }
  }

  private func seriesList(keys: Set<String>, template: (String, [String])? = nil) throws
    -> [Series]
  {
    guard case .array(let items)? = stage.parameters["series"], !items.isEmpty else {
      throw parameters.error(
        "series",
        "must be a non-empty list of tables, e.g. [{ name = \"R\", values = \"FILE#PATH\" }]")
    }
    guard items.count <= FigurePalette.seriesLimit else {
      throw parameters.error(
        "series",
        "has \(items.count) entries; at most \(FigurePalette.seriesLimit) (one per colour-blind-safe colour)"
      )
    }
    return try items.enumerated().map { index, item in
      let key = "series[\(index)]"
      guard case .table(let table) = item else {
        throw parameters.error(
          key, "must be a table such as { name = \"R\", values = \"FILE#PATH\" }")
      }
      if let unknown = table.keys.sorted().first(where: { !keys.contains($0) }) {
        throw parameters.error(
          key, "has unknown key '\(unknown)'; known: \(keys.sorted().joined(separator: ", "))")
      }
      guard case .string(let name)? = table["name"], !name.isEmpty else {
        throw parameters.error(key, "needs `name = \"…\"` (its legend entry)")
      }
      let valuesKey = keys.contains("y") ? "y" : "values"
      guard let values = table[valuesKey] else {
        throw parameters.error(key, "needs `\(valuesKey) = \"FILE#PATH\"` or a list")
      }
      var series = Series(
        name: name, values: try list(values, key: "\(key).\(valuesKey)", template: template))
      if keys.contains("x") {
        guard let x = table["x"] else {
          throw parameters.error(key, "needs `x = \"FILE#PATH\"` or a list")
        }
        series.x = try list(x, key: "\(key).x")
      }
      if let labels = table["labels"] {
        guard case .array(let texts) = labels else {
          throw parameters.error("\(key).labels", "must be a list of strings")
        }
        series.labels = try texts.map {
          guard case .string(let text) = $0 else {
            throw parameters.error("\(key).labels", "must be a list of strings")
          }
          return text
        }
      }
      if let color = table["color"] {
        guard case .string(let text) = color, FigurePalette.color(named: text) != nil else {
          throw parameters.error(
            "\(key).color",
            "must be one of \(FigurePalette.named.map(\.name).joined(separator: ", "))")
        }
        series.color = FigurePalette.color(named: text)
      }
      if let dashed = table["dashed"] {
        guard case .bool(let flag) = dashed else {
          throw parameters.error("\(key).dashed", "must be true or false")
        }
        series.dashed = flag
      }
      return series
    }
  }
}
