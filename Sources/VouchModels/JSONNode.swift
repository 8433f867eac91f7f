/// A parsed JSON value that keeps object members in file order and keeps duplicate keys, so a
/// loader can reject them instead of silently keeping the last one (as `JSONSerialization` does).
public enum JSONNode: Sendable, Equatable {
  case null
  case bool(Bool)
  /// An integer literal that fits in `Int` (no fraction, no exponent).
  case integer(Int)
  /// Any other number.
  case number(Double)
  case string(String)
  case array([JSONNode])
  /// Members in file order; keys may repeat.
  case object([JSONMember])

  /// `self[key]` for an object: the first member named `key`, else `nil`.
  public subscript(key: String) -> JSONNode? {
    guard case .object(let members) = self else { return nil }
    return members.first(where: { $0.key == key })?.value
  }

  /// The string payload, or `nil`.
  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The integer payload, or `nil` (a whole `Double` such as `1e3` counts as well).
  public var intValue: Int? {
    switch self {
    case .integer(let value): return value
    case .number(let value):
      guard value.rounded() == value, abs(value) < 9.0e15 else { return nil }
      return Int(value)
    default: return nil
    }
  }

  /// The numeric payload as a `Double`, or `nil`.
  public var doubleValue: Double? {
    switch self {
    case .integer(let value): return Double(value)
    case .number(let value): return value
    default: return nil
    }
  }

  /// The boolean payload, or `nil`.
  public var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The elements of an array, or `nil`.
  public var arrayValue: [JSONNode]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// The members of an object, or `nil`.
  public var objectValue: [JSONMember]? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// Whether this is JSON `null`.
  public var isNull: Bool { self == .null }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable, Equatable {
  /// The member's key.
  public var key: String
  /// The member's value.
  public var value: JSONNode

  /// Creates a member.
  public init(key: String, value: JSONNode) {
    self.key = key
    self.value = value
  }
}
