import Foundation
import VouchCore
import VouchLineage

/// Resolves ``FigureReference``s against a stage's input files, reading each file once.
///
/// Strict: a file outside the stage's inputs, a missing file, a path that does not exist, a
/// value that is not a number where one is needed, a list where one number is needed (or the
/// reverse) is a ``FigureDataError`` naming the reference.
final class FigureData {
  private let directory: URL
  private let inputs: [WorkspacePath]
  private var documents: [String: JSONValue] = [:]

  /// A resolver for files under `directory` (the workspace or a reproduction sandbox) that lie
  /// within `inputs`.
  init(directory: URL, inputs: [WorkspacePath]) {
    self.directory = directory
    self.inputs = inputs
  }

  /// The one number `reference` names: a number, or a reduction of a list.
  func scalar(_ reference: FigureReference) throws -> Double {
    let (values, several) = try select(reference)
    if let reduction = reference.reduction {
      return try reduce(values, reduction, reference)
    }
    guard !several, let value = values.first else {
      throw FigureDataError(
        "'\(reference)' selects \(values.count) values, not one number; pick one with [n] or "
          + "reduce them, e.g. mean(\(reference))")
    }
    if case .array(let items) = value {
      throw FigureDataError(
        "'\(reference)' is a list of \(items.count) values, not one number; pick one with [n] "
          + "or reduce them, e.g. mean(\(reference))")
    }
    return try number(value, reference, element: nil)
  }

  /// The list of numbers `reference` names: an array, or the values a `[*]` or filter selects.
  func list(_ reference: FigureReference) throws -> [Double] {
    if reference.reduction != nil {
      throw FigureDataError(
        "'\(reference)' is reduced to one number; a list is needed here, so drop the "
          + "\(reference.reduction?.rawValue ?? "")(…)")
    }
    let (values, several) = try select(reference)
    if several { return try values.enumerated().map { try number($1, reference, element: $0) } }
    guard case .array(let items)? = values.first else {
      throw FigureDataError(
        "'\(reference)' is one value, not a list; point at an array or select with [*]")
    }
    return try items.enumerated().map { try number($1, reference, element: $0) }
  }

  /// The values the path selects and whether it selects several (`[*]` or a filter).
  private func select(_ reference: FigureReference) throws -> ([JSONValue], Bool) {
    var selection = [try document(reference)]
    var walked = "$"
    for step in reference.steps {
      switch step {
      case .key(let key):
        selection = try selection.map { value in
          guard case .object(let members) = value else {
            throw FigureDataError(
              "'\(reference)': \(walked) is not an object, so it has no key '\(key)'")
          }
          guard let next = members[key] else {
            throw FigureDataError(
              "'\(reference)': no key '\(key)' at \(walked); it has "
                + Self.keys(members))
          }
          return next
        }
        walked += "." + key
      case .index(let index):
        selection = try selection.map { value in
          guard case .array(let items) = value else {
            throw FigureDataError(
              "'\(reference)': \(walked) is not an array, so it has no [\(index)]")
          }
          guard index < items.count else {
            throw FigureDataError(
              "'\(reference)': index \(index) is past the end of the \(items.count)-element "
                + "array at \(walked)")
          }
          return items[index]
        }
        walked += "[\(index)]"
      case .all, .filter:
        selection = try selection.flatMap { value -> [JSONValue] in
          guard case .array(let items) = value else {
            throw FigureDataError(
              "'\(reference)': \(walked) is not an array, so [*] or [?…] cannot select from it")
          }
          guard case .filter(let conditions) = step else { return items }
          return items.filter { item in conditions.allSatisfy { item[$0.key] == $0.value } }
        }
        walked += step == .all ? "[*]" : "[?…]"
      }
    }
    return (selection, reference.selectsSeveral)
  }

  private func reduce(
    _ values: [JSONValue], _ reduction: FigureReference.Reduction, _ reference: FigureReference
  ) throws -> Double {
    var items = values
    if values.count == 1, !reference.selectsSeveral, case .array(let array) = values[0] {
      items = array
    }
    if reduction == .count { return Double(items.count) }
    guard !items.isEmpty else {
      throw FigureDataError(
        "'\(reference)' selects nothing, so its \(reduction.rawValue) is undefined")
    }
    let numbers = try items.enumerated().map { try number($1, reference, element: $0) }
    switch reduction {
    case .mean: return numbers.reduce(0, +) / Double(numbers.count)
    case .sum: return numbers.reduce(0, +)
    case .min: return numbers.min() ?? 0
    case .max: return numbers.max() ?? 0
    case .count: return Double(numbers.count)
    }
  }

  private func number(_ value: JSONValue, _ reference: FigureReference, element: Int?) throws
    -> Double
  {
    let which = element.map { "element \($0) of '\(reference)'" } ?? "'\(reference)'"
    switch value {
    case .integer(let integer): return Double(integer)
    case .number(let number): return number
    case .null: throw FigureDataError("\(which) is null, not a number")
    case .bool: throw FigureDataError("\(which) is a boolean, not a number")
    case .string(let text):
      let shown = text.count > 30 ? String(text.prefix(30)) + "…" : text
      throw FigureDataError("\(which) is a string (\"\(shown)\"), not a number")
    case .array: throw FigureDataError("\(which) is a list, not a number")
    case .object: throw FigureDataError("\(which) is an object, not a number")
    }
  }

  /// The decoded input file of `reference`.
  private func document(_ reference: FigureReference) throws -> JSONValue {
    let file = reference.file
    if let cached = documents[file] { return cached }
    guard let path = try? WorkspacePath(validating: file, location: "figure"),
      inputs.contains(where: { path.isWithin($0) })
    else {
      throw FigureDataError(
        "'\(reference)' reads '\(file)', which is not within the stage's inputs; add it to `inputs`"
      )
    }
    let url = directory.appendingPathComponent(path.rawValue)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw FigureDataError(
        "'\(reference)' reads '\(file)', which does not exist; run the stage that writes it or fix the path"
      )
    }
    guard !isDirectory.boolValue else {
      throw FigureDataError(
        "'\(reference)' reads '\(file)', which is a folder; name a JSON file in it")
    }
    let data = try Data(contentsOf: url)
    let value: JSONValue
    do {
      if file.hasSuffix(".jsonl") {
        value = .array(
          try data.split(separator: UInt8(ascii: "\n")).filter {
            !$0.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }
          }.map { try JSONDecoder().decode(JSONValue.self, from: Data($0)) })
      } else {
        value = try JSONDecoder().decode(JSONValue.self, from: data)
      }
    } catch {
      throw FigureDataError("'\(reference)' reads '\(file)', which is not valid JSON")
    }
    documents[file] = value
    return value
  }

  private static func keys(_ members: [String: JSONValue]) -> String {
    let keys = members.keys.sorted()
    let shown = keys.prefix(8).joined(separator: ", ")
    return keys.isEmpty ? "no keys" : shown + (keys.count > 8 ? ", …" : "")
  }
}
