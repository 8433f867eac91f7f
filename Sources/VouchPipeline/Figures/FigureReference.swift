import Foundation
import VouchCore

/// A reference from a figure to numbers in one of its stage's input files:
/// `FILE#PATH`, optionally wrapped in a reduction, `mean(FILE#PATH)`.
///
/// - `FILE` is a workspace path within the stage's `inputs`; a `.jsonl` file reads as an array
///   of its non-empty lines.
/// - `PATH` is the claims' JSON path (`$.a.b[0]`, `$["odd key"]`; `$` optional) plus two steps
///   that select several values: `[*]` (every element of an array, in order) and
///   `[?key=value]` (the elements of an array whose `key` equals an integer, `true`, `false` or
///   a "quoted string"; `&` joins conditions: `[?layer=0&category="reasoning"]`).
/// - A reduction (`mean`, `sum`, `min`, `max`, `count`) turns the selected list into one number.
///
/// So `organism/adapter-results.json#$.first_k_kl` is a list, `…#$.first_k_kl[2]` one number,
/// and `mean(organism/features/features.jsonl#$[?layer=0].region_densities.question)` the mean
/// question-region density of layer 0's features.
struct FigureReference: Equatable, CustomStringConvertible {
  /// One step of the path.
  enum Step: Equatable {
    case key(String)
    case index(Int)
    case all
    case filter([Condition])
  }

  /// `key = value` in a filter.
  struct Condition: Equatable {
    var key: String
    var value: JSONValue
  }

  /// How a selected list becomes one number.
  enum Reduction: String, CaseIterable {
    case mean, sum, min, max, count
  }

  /// The input file, as written.
  let file: String
  /// The path's steps.
  let steps: [Step]
  /// The reduction, if any.
  let reduction: Reduction?
  /// The reference as written.
  let description: String

  /// Whether the path selects a list of values (it has `[*]` or a filter).
  var selectsSeveral: Bool {
    steps.contains {
      switch $0 {
      case .all, .filter: true
      default: false
      }
    }
  }

  /// Parses `text`.
  /// - Throws: ``FigureDataError`` saying what is malformed.
  init(parsing text: String) throws {
    description = text
    var body = Substring(text.trimmingCharacters(in: .whitespaces))
    var reduction: Reduction? = nil
    if let open = body.firstIndex(of: "("), body.hasSuffix(")"),
      let found = Reduction(rawValue: String(body[..<open]))
    {
      reduction = found
      body = body[body.index(after: open)..<body.index(before: body.endIndex)]
    }
    self.reduction = reduction
    guard let hash = body.firstIndex(of: "#") else {
      throw FigureDataError(
        "'\(text)' is not a reference; write FILE#PATH, e.g. "
          + "organism/adapter-results.json#$.first_k_kl")
    }
    file = String(body[..<hash])
    guard !file.isEmpty else { throw FigureDataError("'\(text)' names no file before '#'") }
    steps = try Self.steps(body[body.index(after: hash)...], in: text)
  }

  private static func steps(_ path: Substring, in text: String) throws -> [Step] {
    func malformed(_ problem: String) -> FigureDataError {
      FigureDataError("'\(text)' has a malformed path: \(problem)")
    }
    var rest = path
    if rest.hasPrefix("$") { rest = rest.dropFirst() }
    if !rest.isEmpty, !rest.hasPrefix("."), !rest.hasPrefix("[") { rest = "." + rest }
    var steps: [Step] = []
    while let first = rest.first {
      if first == "." {
        rest = rest.dropFirst()
        let name = rest.prefix { $0 != "." && $0 != "[" }
        guard !name.isEmpty else { throw malformed("an empty key after '.'") }
        steps.append(.key(String(name)))
        rest = rest.dropFirst(name.count)
        continue
      }
      guard first == "[", let close = closingBracket(rest) else {
        throw malformed("expected '.key' or '[…]' at '\(rest)'")
      }
      let inside = rest[rest.index(after: rest.startIndex)..<close]
      rest = rest[rest.index(after: close)...]
      if inside == "*" {
        steps.append(.all)
      } else if inside.hasPrefix("?") {
        let conditions = try inside.dropFirst().split(
          separator: "&", omittingEmptySubsequences: false
        )
        .map { clause -> Condition in
          let parts = clause.split(separator: "=", maxSplits: 1)
          guard parts.count == 2, !parts[0].isEmpty, let value = literal(parts[1]) else {
            throw malformed(
              "filter '\(clause)' is not key=value (an integer, true, false or \"text\")")
          }
          return Condition(key: String(parts[0]), value: value)
        }
        steps.append(.filter(conditions))
      } else if let index = Int(inside), index >= 0 {
        steps.append(.index(index))
      } else if inside.count >= 2, let quote = inside.first, quote == "\"" || quote == "'",
        inside.last == quote
      {
        steps.append(.key(String(inside.dropFirst().dropLast())))
      } else {
        throw malformed("'[\(inside)]' is not [n], [*], [?key=value] or [\"key\"]")
      }
    }
    guard !steps.isEmpty else { throw malformed("it is empty; write e.g. #$.first_k_kl") }
    return steps
  }

  /// The `]` closing the bracket at the start of `text`, skipping quoted text.
  private static func closingBracket(_ text: Substring) -> Substring.Index? {
    var quote: Character? = nil
    var index = text.index(after: text.startIndex)
    while index < text.endIndex {
      let character = text[index]
      if let open = quote {
        if character == open { quote = nil }
      } else if character == "\"" || character == "'" {
        quote = character
      } else if character == "]" {
        return index
      }
      index = text.index(after: index)
    }
    return nil
  }

  private static func literal(_ text: Substring) -> JSONValue? {
    if text == "true" { return .bool(true) }
    if text == "false" { return .bool(false) }
    if let integer = Int64(text) { return .integer(integer) }
    if text.count >= 2, let quote = text.first, quote == "\"" || quote == "'", text.last == quote {
      return .string(String(text.dropFirst().dropLast()))
    }
    return nil
  }
}

/// A problem with a figure's data: the reference, its file or the value it finds. The figure
/// stage adds the stage and parameter to it.
struct FigureDataError: Error, Equatable {
  /// What is wrong, one line.
  let problem: String

  init(_ problem: String) { self.problem = problem }
}
