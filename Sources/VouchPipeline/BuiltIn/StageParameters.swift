import Foundation
import VouchLineage

/// Typed access to a built-in stage's `parameters` table, with one-line errors that name the
/// stage and the key.
struct StageParameters {
  /// The stage being run.
  let stage: StageDefinition

  /// An error about `key`, naming the stage.
  func error(_ key: String, _ problem: String) -> PipelineError {
    PipelineError.usage(
      "stage '\(stage.name)' (kind '\(stage.kind)'): parameter '\(key)' \(problem)")
  }

  private func value(_ key: String, required: Bool, expecting: String) throws -> ParameterValue? {
    if let value = stage.parameters[key] { return value }
    if required {
      throw error(key, "is missing; add `\(key) = <\(expecting)>` to the stage's parameters")
    }
    return nil
  }

  /// A string parameter; `nil` when absent and not required.
  func string(_ key: String, required: Bool = true) throws -> String? {
    guard let value = try value(key, required: required, expecting: "text") else { return nil }
    guard case .string(let text) = value else {
      throw error(key, "must be a string, not \(value.environmentText)")
    }
    return text
  }

  /// A string parameter that must be present.
  func requiredString(_ key: String) throws -> String {
    guard let text = try string(key) else { throw error(key, "is missing") }
    return text
  }

  /// How long a training stage runs: `steps = <n>` or `epochs = <n>`, exactly one of them.
  /// - Returns: `(steps, nil)` or `(nil, epochs)`.
  /// - Throws: `PipelineError.usage` naming the key when both or neither are given, or one is
  ///   out of range.
  func trainingLength() throws -> (steps: Int?, epochs: Int?) {
    let steps = try integer("steps", in: 1...100_000_000, required: false)
    let epochs = try integer("epochs", in: 1...100_000, required: false)
    switch (steps, epochs) {
    case (nil, nil):
      throw error("steps", "is missing; give `steps = <n>` or `epochs = <n>`")
    case (.some, .some):
      throw error("epochs", "conflicts with 'steps'; give one of them")
    default:
      return (steps, epochs)
    }
  }

  /// An integer parameter in `range`; `nil` when absent and not required.
  func integer(_ key: String, in range: ClosedRange<Int>, required: Bool = true) throws -> Int? {
    guard let value = try value(key, required: required, expecting: "integer") else { return nil }
    guard case .integer(let number) = value else {
      throw error(key, "must be an integer, not \(value.environmentText)")
    }
    guard let int = Int(exactly: number), range.contains(int) else {
      throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
    }
    return int
  }

  /// An integer parameter that must be present.
  func requiredInteger(_ key: String, in range: ClosedRange<Int>) throws -> Int {
    guard let number = try integer(key, in: range) else { throw error(key, "is missing") }
    return number
  }

  /// A finite, non-negative number (an integer is accepted); `nil` when absent and not required.
  func number(_ key: String, required: Bool = true) throws -> Double? {
    guard let value = try value(key, required: required, expecting: "number") else { return nil }
    return try number(value, key: key)
  }

  /// A non-empty list of finite, non-negative numbers, e.g. `l1 = [0.01, 0.03, 0.1]`.
  func numbers(_ key: String) throws -> [Double] {
    guard let value = try value(key, required: true, expecting: "list of numbers") else {
      return []
    }
    guard case .array(let items) = value, !items.isEmpty else {
      throw error(key, "must be a non-empty list of numbers, not \(value.environmentText)")
    }
    return try items.map { try number($0, key: key) }
  }

  private func number(_ value: ParameterValue, key: String) throws -> Double {
    let number: Double
    switch value {
    case .float(let exact): number = exact.value
    case .integer(let int): number = Double(int)
    // A run record keeps floats as their exact text (see `ParameterValue`); rerunning a recorded
    // definition (`reproduce --as-recorded`) reads them back as strings.
    case .string(let text) where ExactFloat(parsing: text) != nil:
      number = ExactFloat(parsing: text)?.value ?? .nan
    default: throw error(key, "must be a number, not \(value.environmentText)")
    }
    guard number.isFinite, number >= 0 else { throw error(key, "must be ≥ 0, not \(number)") }
    return number
  }

  /// One of `choices`.
  func choice(_ key: String, _ choices: [String]) throws -> String {
    let text = try requiredString(key)
    guard choices.contains(text) else {
      throw error(key, "is '\(text)'; use one of \(choices.joined(separator: ", "))")
    }
    return text
  }

  /// A non-empty list of strings, e.g. `adapters = ["organism/a", "organism/b"]`.
  func strings(_ key: String) throws -> [String] {
    guard let value = try value(key, required: true, expecting: "list of text") else {
      return []
    }
    guard case .array(let items) = value, !items.isEmpty else {
      throw error(key, "must be a non-empty list of text, not \(value.environmentText)")
    }
    return try items.map { item in
      guard case .string(let text) = item else {
        throw error(key, "must list text only, not \(item.environmentText)")
      }
      return text
    }
  }

  /// A workspace path that must lie within one of the stage's declared inputs (a reproduction
  /// sandbox holds only those), resolved against `directory`.
  func inputPath(_ key: String, in directory: URL) throws -> URL {
    try inputPath(try requiredString(key), key: key, in: directory)
  }

  /// `text`, the value (or one item) of parameter `key`, as ``inputPath(_:in:)`` resolves it.
  func inputPath(_ text: String, key: String, in directory: URL) throws -> URL {
    let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
    guard
      stage.inputs.contains(where: {
        trimmed == $0.rawValue || trimmed.hasPrefix($0.rawValue + "/")
      })
    else {
      throw error(key, "is '\(text)', which is not within the stage's inputs; add it to `inputs`")
    }
    return directory.appendingPathComponent(trimmed)
  }

  /// The stage's single output, resolved against `directory`.
  func singleOutput(in directory: URL) throws -> URL {
    guard stage.outputs.count == 1, let output = stage.outputs.first else {
      throw PipelineError.usage(
        "stage '\(stage.name)' (kind '\(stage.kind)') must declare exactly one output, not "
          + "\(stage.outputs.count)")
    }
    return directory.appendingPathComponent(output.rawValue)
  }

  /// The stage's seed.
  func seed() throws -> UInt64 {
    guard let seed = stage.seed else {
      throw PipelineError.usage(
        "stage '\(stage.name)' (kind '\(stage.kind)'): 'seed' is missing; add `seed = <integer>`")
    }
    return seed
  }

  /// Rejects parameters the kind does not know (a typo would otherwise be silently ignored).
  func rejectUnknown(_ known: Set<String>) throws {
    if let unknown = stage.parameters.keys.sorted().first(where: { !known.contains($0) }) {
      throw error(
        unknown, "is not a parameter of this kind; known: \(known.sorted().joined(separator: ", "))"
      )
    }
  }
}
