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

  /// Creates a digest from exactly 32 bytes.
  /// - Throws: `CoreError.invalidDigest` when `bytes` is not 32 bytes long.
  public init<Bytes: Collection>(bytes: Bytes) throws where Bytes.Element == UInt8 {
    guard bytes.count == 32 else {
      throw CoreError.invalidDigest("a SHA-256 digest has 32 bytes, got \(bytes.count)")
    }
    var w: [UInt64] = [0, 0, 0, 0]
    for (index, byte) in bytes.enumerated() {
      w[index / 8] = (w[index / 8] << 8) | UInt64(byte)
    }
    words = (w[0], w[1], w[2], w[3])
  }

  /// Creates a digest from its 32 bytes read as four big-endian 64-bit words (for hashers that
  /// produce SHA-256 state words; cheaper than `init(bytes:)` in hot loops).
  public init(words: (UInt64, UInt64, UInt64, UInt64)) {
    self.words = words
  }

  /// Parses `sha256:<hex>` or bare 64-character lowercase or uppercase hex.
  /// - Throws: `CoreError.invalidDigest` naming what is wrong with `text`.
  public init(parsing text: String) throws {
    var hex = Substring(text)
    if hex.hasPrefix("\(Digest.algorithm):") { hex = hex.dropFirst(Digest.algorithm.count + 1) }
    guard hex.utf8.count == 64 else {
      throw CoreError.invalidDigest(
        "'\(text.prefix(80))' is not a SHA-256 digest: expected 64 hex characters, got \(hex.utf8.count)"
      )
    }
    var bytes = [UInt8]()
    bytes.reserveCapacity(32)
    var high: UInt8 = 0
    for (index, char) in hex.utf8.enumerated() {
      guard let nibble = Digest.nibble(char) else {
        throw CoreError.invalidDigest(
          "'\(text.prefix(80))' is not a SHA-256 digest: '\(Character(UnicodeScalar(char)))' is not a hex digit"
        )
      }
      if index % 2 == 0 { high = nibble } else { bytes.append(high << 4 | nibble) }
    }
    try self.init(bytes: bytes)
  }

  /// The digest of `data`.
  public static func of<D: DataProtocol>(_ data: D) -> Digest {
    Digest(SHA256.hash(data: data))
  }

  /// Wraps a finished swift-crypto hash.
  public init(_ hash: SHA256.Digest) {
    // swift-crypto digests are always 32 bytes.
    var w: [UInt64] = [0, 0, 0, 0]
    for (index, byte) in hash.enumerated() { w[index / 8] = (w[index / 8] << 8) | UInt64(byte) }
    words = (w[0], w[1], w[2], w[3])
  }

  /// The 32 digest bytes.
  public var bytes: [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(32)
    for word in [words.0, words.1, words.2, words.3] {
      for shift in stride(from: 56, through: 0, by: -8) {
        out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
      }
    }
    return out
  }

  /// 64 lowercase hex characters.
  public var hex: String {
    let table = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(64)
    for byte in bytes {
      out.append(table[Int(byte >> 4)])
      out.append(table[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
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
    [lhs.words.0, lhs.words.1, lhs.words.2, lhs.words.3].lexicographicallyPrecedes(
      [rhs.words.0, rhs.words.1, rhs.words.2, rhs.words.3])
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
