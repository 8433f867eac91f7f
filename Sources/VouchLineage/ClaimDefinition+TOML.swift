import Foundation

extension ClaimDefinition {
  /// Reads one `[[stages.<name>.claims]]` table.
  static func parse(
    _ table: TOMLTableReader, outputs: [WorkspacePath], root: URL?,
    vocabulary: PipelineVocabulary
  ) throws -> ClaimDefinition {
    try table.rejectUnknownKeys([
      "name", "description", "unit", "source", "path", "metric", "tolerance", "direction",
    ])
    let name = try table.requiredString("name")
    guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == "/" }) else {
      throw table.error("name", "claim names must be non-empty, without spaces or '/'")
    }
    let artifact: WorkspacePath
    if let text = try table.string("source") {
      artifact = try WorkspacePath(validating: text, root: root, location: table.location("source"))
      guard outputs.contains(where: { artifact.isWithin($0) }) else {
        throw table.error(
          "source", "'\(text)' is not an output of this stage; claims read the stage's own outputs")
      }
    } else if outputs.count == 1, let only = outputs.first {
      artifact = only
    } else {
      throw table.missing("source", "which of the stage's outputs the number is read from")
    }
    let source: ClaimSource
    switch (try table.string("path"), try table.string("metric")) {
    case (let text?, nil):
      guard let path = JSONPath(text) else {
        throw table.error("path", "'\(text)' is not a JSON path like $.metrics.kl or $.items[0]")
      }
      source = .jsonPath(path)
    case (nil, let text?):
      let metric = BuiltInMetric(rawValue: text)
      guard vocabulary.metrics.contains(metric) else {
        let known = vocabulary.metrics.map(\.rawValue).sorted().joined(separator: ", ")
        throw table.error("metric", "unknown metric '\(text)'; known metrics: \(known)")
      }
      source = .metric(metric)
    case (nil, nil):
      throw table.missing("path", "a JSON path into the source, or a built-in 'metric'")
    case (_?, _?):
      throw table.error("metric", "give either 'path' or 'metric', not both")
    }
    var direction: ClaimDirection? = nil
    if let text = try table.string("direction") {
      guard let parsed = ClaimDirection(rawValue: text) else {
        throw table.error("direction", "'\(text)' is neither 'at-least' nor 'at-most'")
      }
      direction = parsed
    }
    return ClaimDefinition(
      name: name, unit: try table.string("unit") ?? "", artifact: artifact, source: source,
      tolerance: try tolerance(table), direction: direction)
  }

  private static func tolerance(_ table: TOMLTableReader) throws -> Tolerance {
    guard let node = table.members["tolerance"] else { return .exact }
    if case .string(let text) = node {
      guard text == "exact" else {
        throw table.error(
          "tolerance", "'\(text)' is not a tolerance; use \"exact\" or { abs = … }")
      }
      return .exact
    }
    guard let bounds = try table.table("tolerance") else { return .exact }
    try bounds.rejectUnknownKeys(["abs", "rel"])
    func bound(_ key: String) throws -> ExactFloat? {
      guard let value = try bounds.float(key) else { return nil }
      guard let exact = ExactFloat(value), value >= 0 else {
        throw bounds.error(key, "a tolerance must be a finite number ≥ 0")
      }
      return exact
    }
    let result = Tolerance(absolute: try bound("abs"), relative: try bound("rel"))
    guard !result.isExact else {
      throw table.error("tolerance", "give 'abs', 'rel' or both, or write tolerance = \"exact\"")
    }
    return result
  }
}
