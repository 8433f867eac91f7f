/// A finite binary64 number written as its shortest round-trip decimal string (`"0.1"`, `"1e-09"`).
///
/// Floats that are hashed (parameters, claim values, tolerances) are stored as these strings
/// rather than JSON numbers, so no JSON library can re-round them: the string names exactly one
/// bit pattern, and that bit pattern always prints as the same string.
public struct ExactFloat: Hashable, Sendable, Comparable {
  /// The number.
  public let value: Double

  /// Wraps a finite number; `nil` for NaN and infinities, which have no place in a record.
  public init?(_ value: Double) {
    guard value.isFinite else { return nil }
    self.value = value
  }

  /// Parses a decimal string; `nil` when it is not a finite number.
  public init?(parsing text: String) {
    guard let value = Double(text), value.isFinite else { return nil }
    self.value = value
  }

  /// The shortest decimal string that reads back as exactly ``value``.
  public var text: String { value.description }

  public static func < (lhs: ExactFloat, rhs: ExactFloat) -> Bool { lhs.value < rhs.value }
}

extension ExactFloat: CustomStringConvertible {
  /// Same as ``text``.
  public var description: String { text }
}

extension ExactFloat: Codable {
  /// Reads the string form; a JSON number is refused because it may already have been re-rounded.
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let parsed = ExactFloat(parsing: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "'\(text)' is not a finite decimal number")
    }
    self = parsed
  }

  /// Writes the string form.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }
}
