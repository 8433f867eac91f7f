/// A strict RFC 8259 JSON parser over UTF-8 bytes, for safetensors headers, `config.json` and
/// `tokenizer.json`.
///
/// Why not `JSONSerialization`: it keeps only the last of duplicate keys (safetensors must reject
/// them), and untrusted headers need a nesting limit so a hostile file cannot exhaust the stack.
public struct JSONReader {
  /// Deepest nesting accepted; real headers and tokenizer files stay under 10.
  public static let maximumDepth = 128

  private let bytes: UnsafeBufferPointer<UInt8>
  private var position = 0
  private var depth = 0

  private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// Parses one JSON document; only whitespace may follow it.
  /// - Throws: `ModelError.malformed` with `"invalid JSON at byte N: …"` (prefixed by `file`).
  public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> JSONNode {
    var reader = JSONReader(bytes)
    do {
      let value = try reader.value()
      reader.skipWhitespace()
      guard reader.position == bytes.count else { throw reader.failure("unexpected trailing data") }
      return value
    } catch let error as Failure {
      throw ModelError.malformed(file, "invalid JSON at byte \(error.offset): \(error.detail)")
    }
  }

  /// Parses `bytes` (see ``parse(_:file:)-(UnsafeBufferPointer<UInt8>,_)``).
  public static func parse(_ bytes: [UInt8], file: String) throws -> JSONNode {
    try bytes.withUnsafeBufferPointer { try parse($0, file: file) }
  }

  private struct Failure: Error {
    var offset: Int
    var detail: String
  }

  private func failure(_ detail: String) -> Failure { Failure(offset: position, detail: detail) }

  private mutating func skipWhitespace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  private mutating func value() throws -> JSONNode {
    skipWhitespace()
    guard position < bytes.count else { throw failure("unexpected end of input") }
    switch bytes[position] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw failure("unexpected character")
    }
  }

  private mutating func literal(_ word: StaticString) throws {
    let count = word.utf8CodeUnitCount
    guard position + count <= bytes.count else { throw failure("unexpected end of input") }
    for index in 0..<count where bytes[position + index] != word.utf8Start[index] {
      throw failure("invalid literal")
    }
    position += count
  }

  private mutating func enter() throws {
    depth += 1
    guard depth <= JSONReader.maximumDepth else { throw failure("nesting deeper than 128") }
  }

  private mutating func object() throws -> JSONNode {
    try enter()
    position += 1
    var members: [JSONMember] = []
    skipWhitespace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
      position += 1
      depth -= 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
        throw failure("expected a string key")
      }
      let key = try string()
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
        throw failure("expected ':'")
      }
      position += 1
      members.append(JSONMember(key: key, value: try value()))
      skipWhitespace()
      guard position < bytes.count else { throw failure("unexpected end of input") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
      } else if bytes[position] == UInt8(ascii: "}") {
        position += 1
        depth -= 1
        return .object(members)
      } else {
        throw failure("expected ',' or '}'")
      }
    }
  }

  private mutating func array() throws -> JSONNode {
    try enter()
    position += 1
    var elements: [JSONNode] = []
    skipWhitespace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
      position += 1
      depth -= 1
      return .array(elements)
    }
    while true {
      elements.append(try value())
      skipWhitespace()
      guard position < bytes.count else { throw failure("unexpected end of input") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
      } else if bytes[position] == UInt8(ascii: "]") {
        position += 1
        depth -= 1
        return .array(elements)
      } else {
        throw failure("expected ',' or ']'")
      }
    }
  }

  private mutating func number() throws -> JSONNode {
    let start = position
    var isInteger = true
    if bytes[position] == UInt8(ascii: "-") { position += 1 }
    guard position < bytes.count, isDigit(bytes[position]) else { throw failure("invalid number") }
    if bytes[position] == UInt8(ascii: "0") {
      position += 1
    } else {
      while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }
    if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
      isInteger = false
      position += 1
      guard position < bytes.count, isDigit(bytes[position]) else {
        throw failure("invalid number")
      }
      while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }
    if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
      isInteger = false
      position += 1
      if position < bytes.count,
        bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
      {
        position += 1
      }
      guard position < bytes.count, isDigit(bytes[position]) else {
        throw failure("invalid number")
      }
      while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }
    let text = String(
      decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    if isInteger, let integer = Int(text) { return .integer(integer) }
    guard let double = Double(text) else { throw Failure(offset: start, detail: "invalid number") }
    return .number(double)
  }

  private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  private mutating func string() throws -> String {
    position += 1
    let start = position
    // Fast path: no escapes.
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
        position += 1
        guard let text = String(validating: slice, as: UTF8.self) else {
          throw Failure(offset: start, detail: "string is not valid UTF-8")
        }
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw failure("control character in string") }
      position += 1
    }
    var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        position += 1
        guard let text = String(validating: utf8, as: UTF8.self) else {
          throw Failure(offset: start, detail: "string is not valid UTF-8")
        }
        return text
      }
      if byte < 0x20 { throw failure("control character in string") }
      if byte != UInt8(ascii: "\\") {
        utf8.append(byte)
        position += 1
        continue
      }
      position += 1
      guard position < bytes.count else { break }
      let escape = bytes[position]
      position += 1
      switch escape {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
      case UInt8(ascii: "b"): utf8.append(0x08)
      case UInt8(ascii: "f"): utf8.append(0x0C)
      case UInt8(ascii: "n"): utf8.append(0x0A)
      case UInt8(ascii: "r"): utf8.append(0x0D)
      case UInt8(ascii: "t"): utf8.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
          guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
            bytes[position + 1] == UInt8(ascii: "u")
          else { throw failure("unpaired surrogate") }
          position += 2
          let low = try hex4()
          guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate") }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw failure("unpaired surrogate") }
        utf8.append(contentsOf: String(Character(unicode)).utf8)
      default: throw failure("invalid escape")
      }
    }
    throw failure("unterminated string")
  }

  private mutating func hex4() throws -> UInt32 {
    guard position + 4 <= bytes.count else { throw failure("unexpected end of input") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let nibble: UInt32
      switch byte {
      case 0x30...0x39: nibble = UInt32(byte - 0x30)
      case 0x41...0x46: nibble = UInt32(byte - 0x41 + 10)
      case 0x61...0x66: nibble = UInt32(byte - 0x61 + 10)
      default: throw failure("invalid \\u escape")
      }
      value = value << 4 | nibble
      position += 1
    }
    return value
  }
}
