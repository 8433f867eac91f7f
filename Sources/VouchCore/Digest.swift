import Crypto
import Foundation

/// A SHA-256 content digest, written `sha256:<64 lowercase hex>`.
///
/// It is the same number `sha256sum` and Hugging Face's LFS pointers give for the same bytes, so a
/// downloaded checkpoint can be checked against its publisher's hash.
public struct Digest: Hashable, Comparable, Sendable {
  /// The 32 digest bytes as four big-endian words (cheap to hash and compare).
  @usableFromInline let words: (UInt64, UInt64, UInt64, UInt64)

  /// The algorithm prefix used in the textual form.
  public static let algorithm = "sha256"
  private static let prefixUTF8 = Array("\(algorithm):".utf8)

  /// Creates a digest from exactly 32 bytes.
  /// - Throws: `CoreError.invalidDigest` when `bytes` is not 32 bytes long.
  public init<Bytes: Collection>(bytes: Bytes) throws where Bytes.Element == UInt8 {
    guard bytes.count == 32 else {
      throw CoreError.invalidDigest("a SHA-256 digest has 32 bytes, got \(bytes.count)")
    }
    var accumulator = WordAccumulator()
    for byte in bytes { accumulator.append(UInt64(byte), bits: 8) }
    words = accumulator.words
  }

  /// Creates a digest from its 32 bytes read as four big-endian 64-bit words (for hashers that
  /// produce SHA-256 state words; cheaper than `init(bytes:)` in hot loops).
  public init(words: (UInt64, UInt64, UInt64, UInt64)) {
    self.words = words
  }

  /// Parses `sha256:<hex>` or bare 64-character lowercase or uppercase hex.
  /// - Throws: `CoreError.invalidDigest` naming what is wrong with `text`.
  public init(parsing text: String) throws {
    var text = text
    var badCharacter: UInt8?
    // Parsed straight from the UTF-8 bytes: status and ls parse tens of thousands of digests.
    let parsed = text.withUTF8 { utf8 -> (UInt64, UInt64, UInt64, UInt64)? in
      var hex = utf8
      let prefix = Digest.prefixUTF8
      if hex.count == 64 + prefix.count, hex.starts(with: prefix) {
        hex = UnsafeBufferPointer(rebasing: hex[prefix.count...])
      }
      guard hex.count == 64 else { return nil }
      var accumulator = WordAccumulator()
      for char in hex {
        guard let nibble = Digest.nibble(char) else {
          badCharacter = char
          return nil
        }
        accumulator.append(UInt64(nibble), bits: 4)
      }
      return accumulator.words
    }
    guard let parsed else { throw Digest.parseError(text, badCharacter: badCharacter) }
    words = parsed
  }

  private static func parseError(_ text: String, badCharacter: UInt8?) -> CoreError {
    if let badCharacter {
      let shown = Character(UnicodeScalar(badCharacter))
      return .invalidDigest(
        "'\(text.prefix(80))' is not a SHA-256 digest: '\(shown)' is not a hex digit")
    }
    var hex = Substring(text)
    if hex.hasPrefix("\(algorithm):") { hex = hex.dropFirst(algorithm.count + 1) }
    return .invalidDigest(
      "'\(text.prefix(80))' is not a SHA-256 digest: expected 64 hex characters, got \(hex.utf8.count)"
    )
  }

  /// The digest of `data`.
  public static func of<D: DataProtocol>(_ data: D) -> Digest {
    Digest(SHA256.hash(data: data))
  }

  /// Wraps a finished swift-crypto hash.
  public init(_ hash: SHA256.Digest) {
    // swift-crypto digests are always 32 bytes.
    var accumulator = WordAccumulator()
    for byte in hash { accumulator.append(UInt64(byte), bits: 8) }
    words = accumulator.words
  }

  /// The 32 digest bytes.
  public var bytes: [UInt8] {
    [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
      for slot in 0..<4 {
        let word = self.word(slot)
        for position in 0..<8 {
          buffer[slot * 8 + position] = UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * position))
        }
      }
      count = 32
    }
  }

  /// 64 lowercase hex characters.
  public var hex: String {
    // Built in place: digests are printed and stored by the ten thousand (index rows, listings).
    String(unsafeUninitializedCapacity: 64) { buffer in
      let digits: StaticString = "0123456789abcdef"
      let table = digits.utf8Start
      for slot in 0..<4 {
        let word = self.word(slot)
        for position in 0..<16 {
          buffer[slot * 16 + position] = table[Int(word >> UInt64(60 - 4 * position) & 0xf)]
        }
      }
      return 64
    }
  }

  private func word(_ slot: Int) -> UInt64 {
    switch slot {
    case 0: words.0
    case 1: words.1
    case 2: words.2
    default: words.3
    }
  }

  /// The first 8 hex characters, for human-facing listings.
  public var short: String { String(hex.prefix(8)) }

  public static func == (lhs: Digest, rhs: Digest) -> Bool {
    lhs.words == rhs.words
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(words.0)
    hasher.combine(words.1)
    hasher.combine(words.2)
    hasher.combine(words.3)
  }

  public static func < (lhs: Digest, rhs: Digest) -> Bool {
    if lhs.words.0 != rhs.words.0 { return lhs.words.0 < rhs.words.0 }
    if lhs.words.1 != rhs.words.1 { return lhs.words.1 < rhs.words.1 }
    if lhs.words.2 != rhs.words.2 { return lhs.words.2 < rhs.words.2 }
    return lhs.words.3 < rhs.words.3
  }

  private static func nibble(_ char: UInt8) -> UInt8? {
    switch char {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}

extension Digest: CustomStringConvertible, LosslessStringConvertible {
  /// `sha256:<hex>`.
  public var description: String { "\(Digest.algorithm):\(hex)" }

  /// Parses the textual form; `nil` when it is not a digest.
  public init?(_ description: String) { try? self.init(parsing: description) }
}

extension Digest: Codable {
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do { try self.init(parsing: text) } catch let error as CoreError {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// Packs a big-endian stream of bit groups (bytes or hex nibbles) into a digest's four words.
private struct WordAccumulator {
  var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
  private var filled = 0

  /// Appends the low `bits` bits of `value`; 256 bits in all fill the four words.
  @inline(__always)
  mutating func append(_ value: UInt64, bits: Int) {
    switch filled >> 6 {
    case 0: words.0 = words.0 << UInt64(bits) | value
    case 1: words.1 = words.1 << UInt64(bits) | value
    case 2: words.2 = words.2 << UInt64(bits) | value
    default: words.3 = words.3 << UInt64(bits) | value
    }
    filled += bits
  }
}
