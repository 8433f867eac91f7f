import Foundation

extension FigureSpecification {
  /// The chart with its numbers read from the input files through `data` (not for `graph`).
  /// - Throws: `PipelineError.usage` naming the parameter: a reference that cannot be read,
  ///   series of different lengths, a non-positive value on a log axis.
  func chart(_ data: FigureData) throws -> any FigureChart {
    switch chart {
    case .line:
      let resolved = try resolveSeries(data)
      let count = resolved.first?.values.count ?? 0
      for item in resolved where item.values.count != count {
        throw parameters.error(
          "series",
          "'\(item.name)' has \(item.values.count) values but '\(resolved[0].name)' has \(count); "
            + "every series needs one value per x")
      }
      let xs = try x.map { try resolve($0, key: "x", data) } ?? (0..<count).map(Double.init)
      guard xs.count == count else {
        throw parameters.error(
          "x", "has \(xs.count) values for series of \(count); give one x per value")
      }
      guard count >= 1 else { throw parameters.error("series", "has no values to plot") }
      try checkLog(logX, xs, key: "x-log")
      try checkLog(logY, resolved.flatMap(\.values), key: "y-log")
      return LineChart(frame: frame, x: xs, series: resolved, logX: logX, logY: logY)
    case .bar:
      let resolved = try resolveSeries(data)
      for item in resolved where item.values.count != categories.count {
        throw parameters.error(
          "series",
          "'\(item.name)' has \(item.values.count) values for \(categories.count) categories; "
            + "give one value per category")
      }
      return GroupedBarChart(frame: frame, categories: categories, series: resolved)
    case .scatter:
      let resolved = try resolveSeries(data)
      for item in resolved {
        guard item.x.count == item.values.count, !item.x.isEmpty else {
          throw parameters.error(
            "series",
            "'\(item.name)' has \(item.x.count) x and \(item.values.count) y values; give one x per y"
          )
        }
        guard item.labels.isEmpty || item.labels.count == item.x.count else {
          throw parameters.error(
            "series", "'\(item.name)' has \(item.labels.count) labels for \(item.x.count) points")
        }
      }
      try checkLog(logX, resolved.flatMap(\.x), key: "x-log")
      try checkLog(logY, resolved.flatMap(\.values), key: "y-log")
      return ScatterChart(frame: frame, series: resolved, logX: logX, logY: logY)
    case .heatmap:
      var matrix: [[Double]] = []
      if !cells.isEmpty {
        matrix = try cells.map { row in try row.map { try resolve($0, key: "cells", data) } }
      } else {
        matrix = try rowLists.enumerated().map { index, source in
          let values = try resolve(source, key: "values", data)
          guard values.count == columns.count else {
            throw parameters.error(
              "values",
              "row \(index) ('\(rows[index])') has \(values.count) values for "
                + "\(columns.count) columns")
          }
          return values
        }
      }
      return HeatMapChart(frame: frame, value: value, rows: rows, columns: columns, values: matrix)
    case .graph:
      throw parameters.error("chart", "'graph' is drawn by graphviz, not resolved as data")
    }
  }

  private func resolveSeries(_ data: FigureData) throws -> [ChartSeries] {
    let valuesKey = chart == .scatter ? "y" : "values"
    return try series.enumerated().map { index, item in
      let key = "series[\(index)]"
      var result = ChartSeries(
        name: item.name, values: try resolve(item.values, key: "\(key).\(valuesKey)", data),
        color: item.color ?? FigurePalette.series(index), dashed: item.dashed)
      if let x = item.x { result.x = try resolve(x, key: "\(key).x", data) }
      result.labels = item.labels
      return result
    }
  }

  private func resolve(_ source: FigureListSource, key: String, _ data: FigureData) throws
    -> [Double]
  {
    do { return try source.resolve(data) } catch let error as FigureDataError {
      throw parameters.error(key, error.problem)
    }
  }

  private func resolve(_ source: FigureScalarSource, key: String, _ data: FigureData) throws
    -> Double
  {
    do { return try source.resolve(data) } catch let error as FigureDataError {
      throw parameters.error(key, error.problem)
    }
  }

  private func checkLog(_ logarithmic: Bool, _ values: [Double], key: String) throws {
    guard logarithmic, let bad = values.first(where: { $0 <= 0 }) else { return }
    throw parameters.error(
      key, "is true but the data holds \(SVGNumber.exact(bad)); a log axis needs positive values")
  }
}
