import Foundation
import TOMLKit

/// A TOML value detached from TOMLKit, so the rest of the module never sees its types.
indirect enum TOMLNode {
  case table([String: TOMLNode])
  case array([TOMLNode])
  case string(String)
  case integer(Int64)
  case float(Double)
  case bool(Bool)
  /// A date, time or date-time, kept as its text (vouch's schemas have no dates).
  case date(String)

  /// `a table`, `a string`, … for error messages.
  var typeName: String {
    switch self {
    case .table: "a table"
    case .array: "an array"
    case .string: "a string"
    case .integer: "an integer"
    case .float: "a float"
    case .bool: "a boolean"
    case .date: "a date"
    }
  }
}

/// A parsed TOML file with a map from key paths to the lines that define them.
///
/// TOMLKit reports lines for syntax errors only, so semantic errors (an unknown key, a wrong
/// type) find their line here: a light scan of the text that follows `[table]` and
/// `[[array.of.tables]]` headers and `key = value` lines, keyed like ``TOMLTableReader`` paths
/// (`stages.train.claims[0].tolerance`).
struct TOMLDocument {
  /// How the file is named in messages (`manifests/metric.pipeline.toml`).
  let file: String
  /// The top-level table.
  let root: [String: TOMLNode]
  private let lines: [String: Int]

  /// Parses `text`.
  /// - Throws: `LineageError` naming the file, line and column of a syntax error.
  init(text: String, file: String) throws {
    self.file = file
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw LineageError.invalidDocument(
        "\(file):\(error.source.begin.line):\(error.source.begin.column)",
        "TOML syntax error: \(error.description)")
    }
    root = TOMLDocument.convert(table)
    lines = TOMLDocument.indexLines(text)
  }

  /// `file:line: key 'path'`, with the line of the longest prefix of `path` that has one.
  func location(_ path: [String]) -> String {
    let key = path.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    var probe = path
    while !probe.isEmpty {
      let text = probe.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
      if let line = lines[text] { return "\(file):\(line): key '\(key)'" }
      probe.removeLast()
    }
    return key.isEmpty ? file : "\(file): key '\(key)'"
  }

  private static func convert(_ table: TOMLTable) -> [String: TOMLNode] {
    var result: [String: TOMLNode] = [:]
    for (key, value) in zip(table.keys, table.values) { result[key] = convert(value) }
    return result
  }

  private static func convert(_ value: TOMLValueConvertible) -> TOMLNode {
    switch value.type {
    case .table: return .table(value.table.map(convert) ?? [:])
    case .array: return .array(value.array.map { $0.map(convert) } ?? [])
    case .string: return .string(value.string ?? "")
    case .int: return .integer(Int64(value.int ?? 0))
    case .double: return .float(value.double ?? 0)
    case .bool: return .bool(value.bool ?? false)
    case .date, .time, .dateTime: return .date(value.tomlValue.debugDescription)
    }
  }

  /// Maps key paths to 1-based line numbers.
  private static func indexLines(_ text: String) -> [String: Int] {
    var result: [String: Int] = [:]
    var current: [String] = []
    var arrayCounts: [String: Int] = [:]
    var inMultilineString = false
    for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    {
      let line = raw.trimmingCharacters(in: .whitespaces)
      let number = offset + 1
      let quotes =
        line.components(separatedBy: "\"\"\"").count - 1
        + line.components(separatedBy: "'''").count - 1
      defer { if quotes % 2 == 1 { inMultilineString.toggle() } }
      if inMultilineString || line.isEmpty || line.hasPrefix("#") { continue }
      if line.hasPrefix("[["), let close = line.range(of: "]]") {
        let base = splitKey(
          String(line[line.index(line.startIndex, offsetBy: 2)..<close.lowerBound]))
        let name = base.joined(separator: ".")
        let index = (arrayCounts[name] ?? -1) + 1
        arrayCounts[name] = index
        current = base + ["[\(index)]"]
        result[current.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")] = number
      } else if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
        current = splitKey(String(line[line.index(after: line.startIndex)..<close]))
        result[current.joined(separator: ".")] = number
      } else if let equals = firstUnquoted("=", in: line) {
        let key = current + splitKey(String(line[..<equals]))
        let text = key.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        if result[text] == nil { result[text] = number }
      }
    }
    return result
  }

  /// Splits a dotted TOML key, honouring quotes: `a."b.c".d` → `["a", "b.c", "d"]`.
  private static func splitKey(_ text: String) -> [String] {
    var parts: [String] = []
    var part = ""
    var quote: Character? = nil
    for char in text {
      if let open = quote {
        if char == open { quote = nil } else { part.append(char) }
      } else if char == "\"" || char == "'" {
        quote = char
      } else if char == "." {
        parts.append(part.trimmingCharacters(in: .whitespaces))
        part = ""
      } else {
        part.append(char)
      }
    }
    parts.append(part.trimmingCharacters(in: .whitespaces))
    return parts
  }

  private static func firstUnquoted(_ target: Character, in line: String) -> String.Index? {
    var quote: Character? = nil
    for index in line.indices {
      let char = line[index]
      if let open = quote {
        if char == open { quote = nil }
      } else if char == "\"" || char == "'" {
        quote = char
      } else if char == target {
        return index
      }
    }
    return nil
  }
}
