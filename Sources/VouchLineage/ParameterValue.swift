import VouchCore

/// A stage parameter from a pipeline definition: a TOML scalar, array or table.
///
/// Floats are ``ExactFloat``s, so a parameter hashes to the same run key on every machine. In
/// JSON records a float is written as its exact string, which also reads back as `.string`; run
/// keys compare canonical bytes, so the two forms hash alike, as they should: a command sees the
/// same text either way.
public indirect enum ParameterValue: Hashable, Sendable {
  case string(String)
  case integer(Int64)
  case float(ExactFloat)
  case bool(Bool)
  case array([ParameterValue])
  case table([String: ParameterValue])

  /// The text a `command` stage receives in its environment: strings as they are, numbers and
  /// booleans in their canonical form, arrays and tables as canonical JSON.
  public var environmentText: String {
    switch self {
    case .string(let text): text
    case .integer(let number): String(number)
    case .float(let number): number.text
    case .bool(let flag): flag ? "true" : "false"
    case .array, .table: canonicalJSON
    }
  }

  /// The canonical JSON text of the value.
  public var canonicalJSON: String {
    // Every case encodes without failing: floats are finite strings, the rest are plain JSON.
    (try? CanonicalJSON.data(for: self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
  }
}

extension ParameterValue: Codable {
  /// Decodes JSON: strings, integers, booleans, arrays and objects (a JSON number with a fraction
  /// becomes `.float`, though vouch never writes one).
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let flag = try? container.decode(Bool.self) {
      self = .bool(flag)
    } else if let number = try? container.decode(Int64.self) {
      self = .integer(number)
    } else if let number = try? container.decode(Double.self), let exact = ExactFloat(number) {
      self = .float(exact)
    } else if let text = try? container.decode(String.self) {
      self = .string(text)
    } else if let items = try? container.decode([ParameterValue].self) {
      self = .array(items)
    } else {
      self = .table(try container.decode([String: ParameterValue].self))
    }
  }

  /// Encodes JSON, floats as exact strings.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .string(let text): try container.encode(text)
    case .integer(let number): try container.encode(number)
    case .float(let number): try container.encode(number)
    case .bool(let flag): try container.encode(flag)
    case .array(let items): try container.encode(items)
    case .table(let members): try container.encode(members)
    }
  }
}
