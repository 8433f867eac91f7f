/// Finds the source text of a value in a JSON document, which a decoded `JSONValue` has lost:
/// `9007199254740993` and `9007199254740992` decode to the same binary64, and `1e400` does not
/// decode at all.
///
/// It reads bytes without building a tree, assumes nothing about validity, and answers `nil`
/// for anything it does not understand: callers pair it with a real decoder and use it only to
/// say more precisely what is wrong with a number.
struct JSONLiteralScanner {
  /// The document's bytes (UTF-8).
  let bytes: [UInt8]
  /// The read position.
  private var position = 0

  /// Deepest nesting followed; deeper documents answer `nil` rather than recurse without bound.
  static let maximumDepth = 512

  /// A scanner over `bytes`.
  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// The source text of the value at `path` (`9007199254740993`, `"2.0"`, `{…}`), or `nil` when
  /// the path is absent or the bytes are not JSON. A repeated key resolves to its first
  /// occurrence, as Foundation's `JSONDecoder` does.
  static func literal(at path: JSONPath, in bytes: [UInt8]) -> String? {
    var scanner = JSONLiteralScanner(bytes)
    for component in path.components {
      scanner.skipWhitespace()
      switch component {
      case .key(let key): guard scanner.enterMember(key) else { return nil }
      case .index(let index): guard scanner.enterElement(index) else { return nil }
      }
    }
    scanner.skipWhitespace()
    let start = scanner.position
    guard scanner.skipValue(depth: 0) else { return nil }
    return String(decoding: scanner.bytes[start..<scanner.position], as: UTF8.self)
  }

  /// Every number literal of the document outside strings, in order.
  static func numberLiterals(in bytes: [UInt8]) -> [String] {
    var scanner = JSONLiteralScanner(bytes)
    var literals: [String] = []
    while let byte = scanner.peek {
      if byte == UInt8(ascii: "\"") {
        guard scanner.readString() != nil else { return literals }
      } else if byte == UInt8(ascii: "-") || isDigit(byte) {
        let start = scanner.position
        scanner.skipNumber()
        literals.append(String(decoding: bytes[start..<scanner.position], as: UTF8.self))
      } else {
        scanner.position += 1
      }
    }
    return literals
  }

  private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private mutating func skipWhitespace() {
    while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
      position += 1
    }
  }

  private mutating func expect(_ character: Unicode.Scalar) -> Bool {
    skipWhitespace()
    guard peek == UInt8(ascii: character) else { return false }
    position += 1
    return true
  }

  /// Moves to the value of the first member `key` of the object here.
  private mutating func enterMember(_ key: String) -> Bool {
    guard expect("{") else { return false }
    if expect("}") { return false }
    while true {
      skipWhitespace()
      guard let name = readString(), expect(":") else { return false }
      skipWhitespace()
      if name == key { return true }
      guard skipValue(depth: 1), !expect("}"), expect(",") else { return false }
    }
  }

  /// Moves to element `index` of the array here.
  private mutating func enterElement(_ index: Int) -> Bool {
    guard expect("[") else { return false }
    if expect("]") { return false }
    for _ in 0..<index {
      skipWhitespace()
      guard skipValue(depth: 1), expect(",") else { return false }
    }
    skipWhitespace()
    return true
  }

  /// Skips one value (object, array, string, number or word); `false` on malformed input.
  private mutating func skipValue(depth: Int) -> Bool {
    guard depth < Self.maximumDepth, let byte = peek else { return false }
    switch byte {
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      let close: Unicode.Scalar = byte == UInt8(ascii: "{") ? "}" : "]"
      position += 1
      if expect(close) { return true }
      while true {
        skipWhitespace()
        if byte == UInt8(ascii: "{") {
          guard readString() != nil, expect(":") else { return false }
          skipWhitespace()
        }
        guard skipValue(depth: depth + 1) else { return false }
        if expect(close) { return true }
        guard expect(",") else { return false }
      }
    case UInt8(ascii: "\""):
      return readString() != nil
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      skipNumber()
      return true
    default:
      let start = position
      while let letter = peek, letter >= UInt8(ascii: "a"), letter <= UInt8(ascii: "z") {
        position += 1
      }
      let word = String(decoding: bytes[start..<position], as: UTF8.self)
      return word == "true" || word == "false" || word == "null"
    }
  }

  private mutating func skipNumber() {
    while let byte = peek,
      Self.isDigit(byte) || "+-.eE".utf8.contains(byte)
    {
      position += 1
    }
  }

  /// Reads a string starting at its opening quote, decoding escapes; `nil` when malformed.
  private mutating func readString() -> String? {
    guard peek == UInt8(ascii: "\"") else { return nil }
    position += 1
    var scalars = String.UnicodeScalarView()
    var raw: [UInt8] = []
    func flush() {
      scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
      raw.removeAll()
    }
    while let byte = peek {
      position += 1
      switch byte {
      case UInt8(ascii: "\""):
        flush()
        return String(scalars)
      case UInt8(ascii: "\\"):
        flush()
        guard let escaped = peek else { return nil }
        position += 1
        switch escaped {
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "u"):
          guard let scalar = readUnicodeEscape() else { return nil }
          scalars.append(scalar)
        default: scalars.append(Unicode.Scalar(escaped))
        }
      default:
        raw.append(byte)
      }
    }
    return nil
  }

  /// The scalar of `XXXX` after `\u` (joining a `\uD8xx\uDCxx` surrogate pair).
  private mutating func readUnicodeEscape() -> Unicode.Scalar? {
    guard let high = readHex4() else { return nil }
    if (0xD800..<0xDC00).contains(high) {
      guard bytes[position...].starts(with: "\\u".utf8) else { return "\u{FFFD}" }
      position += 2
      guard let low = readHex4(), (0xDC00..<0xE000).contains(low) else { return "\u{FFFD}" }
      return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }
    return Unicode.Scalar(high) ?? "\u{FFFD}"
  }

  private mutating func readHex4() -> UInt32? {
    guard position + 4 <= bytes.count,
      let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
    else { return nil }
    position += 4
    return value
  }
}
