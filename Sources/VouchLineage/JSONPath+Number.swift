import Foundation
import VouchCore

/// Reading a claim's number. Claims are binary64 numbers, and a number that binary64 cannot hold
/// is refused rather than silently changed, so that two different outputs never record the same
/// value:
///
/// - An integer literal (`42`, `-7`) must be exact: `9007199254740993` (2⁵³ + 1) would read as
///   `9007199254740992` and is refused. One that is a float's shortest decimal padded with zeros,
///   as JavaScript writes `12345678901234567000`, is accepted: it names that float.
/// - A literal with a fraction or an exponent (`0.1`, `1e-3`, `9.007199254740993e15`) is a float
///   and rounds to the nearest binary64; one that overflows (`1e400`) or is too small to be
///   anything but zero (`1e-400`) is refused.
/// - `-0` and `-0.0` read as `0.0`: equal numbers get one recorded spelling and one value digest.
/// - A string (`"2.0"`), a boolean, `null`, an object or an array is not a number.
extension JSONPath {
  /// The number at this path in the JSON document `data`, judged by its source text.
  /// - Parameters:
  ///   - data: the document's bytes.
  ///   - location: the prefix of error messages (stage, claim and file).
  /// - Returns: the number, finite, with `-0.0` as `0.0`.
  /// - Throws: `LineageError` (usage) when the document is not JSON, the path is missing, or the
  ///   value is not a number binary64 holds (see the rules above).
  public func number(inJSON data: Data, location: String) throws -> Double {
    let bytes = [UInt8](data)
    let document: JSONValue
    do {
      document = try JSONDecoder().decode(JSONValue.self, from: data)
    } catch {
      // Foundation refuses a whole document that holds a number beyond binary64's range.
      if let literal = JSONLiteralScanner.literal(at: self, in: bytes),
        Double(literal)?.isInfinite == true
      {
        _ = try Self.binary64(literal: literal, at: description, location: location)  // throws
      }
      if let literal = JSONLiteralScanner.numberLiterals(in: bytes).first(where: {
        Double($0)?.isInfinite == true
      }) {
        throw LineageError.invalidDocument(
          location,
          "holds the number \(literal), which overflows a 64-bit float, so it cannot be read as "
            + "JSON; write it scaled (the claim reads \(description))")
      }
      throw LineageError.invalidDocument(
        location, "is not valid JSON; the claim reads \(description)")
    }
    let found = try value(in: document, location: location)
    // The source text decides, once it is known to be the value the decoder found.
    if let literal = JSONLiteralScanner.literal(at: self, in: bytes),
      let decoded = found.roundedNumber, Double(literal) == decoded
    {
      return try Self.binary64(literal: literal, at: description, location: location)
    }
    return try Self.number(found, at: description, location: location)
  }

  /// The number at this path in an already decoded `document` (whose number literals are lost:
  /// an integer is still checked for exactness, a float is taken as decoded).
  /// - Throws: `LineageError` when the path is missing or does not lead to a number binary64
  ///   holds.
  public func number(in document: JSONValue, location: String) throws -> Double {
    try Self.number(value(in: document, location: location), at: description, location: location)
  }

  private static func number(_ value: JSONValue, at path: String, location: String) throws
    -> Double
  {
    switch value {
    case .integer(let integer):
      return try binary64(literal: String(integer), at: path, location: location)
    case .number(let number):
      return number == 0 ? 0 : number
    case .string(let text):
      let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
      throw LineageError.invalidDocument(
        location,
        "the value at \(path) is a string (\"\(shown)\"), not a number; write the number "
          + "without quotes")
    default:
      throw LineageError.invalidDocument(
        location, "the value at \(path) is not a number; point the claim at a number")
    }
  }

  /// The binary64 a JSON number literal names, under the rules above.
  static func binary64(literal: String, at path: String, location: String) throws -> Double {
    guard let value = Double(literal) else {
      throw LineageError.invalidDocument(
        location, "the value at \(path) is not a number; point the claim at a number")
    }
    func refuse(_ problem: String) -> LineageError {
      LineageError.invalidDocument(location, "the value at \(path), \(literal), \(problem)")
    }
    if value.isInfinite {
      throw refuse("overflows a 64-bit float (the largest is about 1.8e308); write it scaled")
    }
    let mantissa = literal.prefix { $0 != "e" && $0 != "E" }
    if value == 0, mantissa.contains(where: { ("1"..."9").contains($0) }) {
      throw refuse("is too small for a 64-bit float and would read as 0; write it scaled")
    }
    if !literal.contains(where: { ".eE".contains($0) }) {
      let digits = literal.drop { $0 == "-" }
      let exact = String(format: "%.0f", value.magnitude)
      let shortest = value.magnitude.description.prefix { $0 != "e" }.filter { $0 != "." }
      if digits != exact, significant(digits) != significant(shortest) {
        throw refuse(
          "is not exactly representable as a 64-bit float (it would read as \(exact)); claims "
            + "are binary64 numbers, write it scaled or as a float")
      }
    }
    return value == 0 ? 0 : value
  }

  /// `digits` without leading and trailing zeros (`"001200"` → `"12"`).
  private static func significant<S: StringProtocol>(_ digits: S) -> Substring {
    let trimmed = digits.drop { $0 == "0" }
    return Substring(trimmed.reversed().drop { $0 == "0" }.reversed())
  }
}

extension JSONValue {
  /// The value as a binary64 if it is a number (an integer rounded to nearest), else `nil`.
  fileprivate var roundedNumber: Double? {
    switch self {
    case .integer(let integer): Double(integer)
    case .number(let number): number
    default: nil
    }
  }
}
