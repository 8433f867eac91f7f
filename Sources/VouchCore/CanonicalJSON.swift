import Foundation

/// The single canonical JSON encoder: every byte that vouch hashes comes from here.
///
/// Rules: object keys sorted by their UTF-8 bytes; no insignificant whitespace (``data(for:)``) or
/// exactly two-space indentation with one key per line (``prettyData(for:)``, for files people read
/// in `git diff`); strings escape only `"`, `\` and control characters (as `\n`, `\t`, … or
/// `\u00XX`); integers in plain decimal; other numbers in Swift's shortest round-trip decimal form;
/// NaN and infinities are refused. Floats whose exact bits matter should be stored as strings by the
/// schema (see `ExactFloat` in `VouchLineage`); this encoder never re-rounds them either way.
public enum CanonicalJSON {
  /// Canonical compact bytes of `value`.
  /// - Throws: `CoreError.notCanonical` for non-finite numbers or values JSONEncoder rejects.
  public static func data<T: Encodable>(for value: T) throws -> Data {
    var out = [UInt8]()
    write(try jsonValue(of: value), into: &out, indent: nil, depth: 0)
    return Data(out)
  }

  /// Canonical pretty bytes of `value`, ending in a newline.
  public static func prettyData<T: Encodable>(for value: T) throws -> Data {
    var out = [UInt8]()
    write(try jsonValue(of: value), into: &out, indent: 2, depth: 0)
    out.append(UInt8(ascii: "\n"))
    return Data(out)
  }

  /// The digest of the canonical compact bytes of `value`.
  public static func digest<T: Encodable>(of value: T) throws -> Digest {
    Digest.of(try data(for: value))
  }

  /// `value` as a ``JSONValue`` tree.
  public static func jsonValue<T: Encodable>(of value: T) throws -> JSONValue {
    if let json = value as? JSONValue { return json }
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .throw
    let bytes: Data
    do { bytes = try encoder.encode(value) } catch {
      throw CoreError.notCanonical("cannot encode \(T.self) as JSON: \(error)")
    }
    return try JSONDecoder().decode(JSONValue.self, from: bytes)
  }

  static func write(_ value: JSONValue, into out: inout [UInt8], indent: Int?, depth: Int) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
    case .integer(let number): out.append(contentsOf: String(number).utf8)
    case .number(let number):
      if number == number.rounded(), abs(number) < 9.007_199_254_740_992e15 {
        out.append(contentsOf: String(Int64(number)).utf8)
      } else {
        out.append(contentsOf: "\(number)".utf8)
      }
    case .string(let text): writeString(text, into: &out)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        newline(into: &out, indent: indent, depth: depth + 1)
        write(item, into: &out, indent: indent, depth: depth + 1)
      }
      if !items.isEmpty { newline(into: &out, indent: indent, depth: depth) }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for (index, key) in keys.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        newline(into: &out, indent: indent, depth: depth + 1)
        writeString(key, into: &out)
        out.append(UInt8(ascii: ":"))
        if indent != nil { out.append(UInt8(ascii: " ")) }
        // Keys come from the dictionary itself, so the lookup cannot fail.
        write(members[key] ?? .null, into: &out, indent: indent, depth: depth + 1)
      }
      if !keys.isEmpty { newline(into: &out, indent: indent, depth: depth) }
      out.append(UInt8(ascii: "}"))
    }
  }

  private static func newline(into out: inout [UInt8], indent: Int?, depth: Int) {
    guard let indent else { return }
    out.append(UInt8(ascii: "\n"))
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * depth))
  }

  private static func writeString(_ text: String, into out: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    out.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
      case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
      case 0x0a: out.append(contentsOf: "\\n".utf8)
      case 0x0d: out.append(contentsOf: "\\r".utf8)
      case 0x09: out.append(contentsOf: "\\t".utf8)
      case 0x08: out.append(contentsOf: "\\b".utf8)
      case 0x0c: out.append(contentsOf: "\\f".utf8)
      case 0x00..<0x20:
        out.append(contentsOf: "\\u00".utf8)
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0x0f)])
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
