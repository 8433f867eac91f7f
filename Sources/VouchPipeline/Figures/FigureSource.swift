import Foundation
import VouchLineage

/// Where one number of a figure comes from: written in the pipeline file, or a reference.
enum FigureScalarSource: Equatable {
  case number(Double)
  case reference(FigureReference)

  /// The number, read through `data` if it is a reference.
  func resolve(_ data: FigureData) throws -> Double {
    switch self {
    case .number(let number): number
    case .reference(let reference): try data.scalar(reference)
    }
  }
}

/// Where a list of numbers comes from: one reference to a list (`"file#$.kl"`), or a list
/// whose items are numbers or references to one number each (`[0.5, "file#$.kl[0]"]`).
enum FigureListSource: Equatable {
  case reference(FigureReference)
  case items([FigureScalarSource])

  /// Parses a parameter value.
  /// - Parameters:
  ///   - value: the parameter: a reference string or a list.
  ///   - template: `(placeholder, keys)`: a string holding `{placeholder}` becomes one
  ///     reference per key (`{category}` in a bar series).
  /// - Throws: ``FigureDataError`` for a value that is neither, or a malformed reference.
  init(_ value: ParameterValue, template: (String, [String])? = nil) throws {
    switch value {
    case .string(let text):
      if let (placeholder, keys) = template, text.contains("{\(placeholder)}") {
        self = .items(
          try keys.map {
            .reference(
              try FigureReference(
                parsing: text.replacingOccurrences(of: "{\(placeholder)}", with: $0)))
          })
      } else {
        self = .reference(try FigureReference(parsing: text))
      }
    case .array(let items):
      self = .items(try items.map(Self.scalar))
    default:
      throw FigureDataError(
        "must be a reference (\"FILE#PATH\") or a list of numbers and references, not "
          + value.environmentText)
    }
  }

  /// One number or reference.
  static func scalar(_ value: ParameterValue) throws -> FigureScalarSource {
    switch value {
    case .integer(let number): return .number(Double(number))
    case .float(let number): return .number(number.value)
    case .string(let text):
      // A recorded definition (`reproduce --as-recorded`) spells floats as their exact text.
      if !text.contains("#"), let exact = ExactFloat(parsing: text) { return .number(exact.value) }
      return .reference(try FigureReference(parsing: text))
    default:
      throw FigureDataError("holds \(value.environmentText), which is not a number or a reference")
    }
  }

  /// The numbers, read through `data`.
  func resolve(_ data: FigureData) throws -> [Double] {
    switch self {
    case .reference(let reference): try data.list(reference)
    case .items(let items): try items.map { try $0.resolve(data) }
    }
  }
}
