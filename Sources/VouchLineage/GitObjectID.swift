/// A git object id (SHA-1), written as 40 lowercase hex characters.
///
/// A plain value: it never carries a libgit2 type out of the `Git.swift` seam.
public struct GitObjectID: Hashable, Sendable, Comparable, Codable {
  /// 40 lowercase hex characters.
  public let hex: String

  /// Parses 40 hex characters (either case).
  /// - Throws: `LineageError` when `text` is not a full object id.
  public init(hex text: String) throws {
    let lower = text.lowercased()
    guard lower.utf8.count == 40, lower.utf8.allSatisfy(GitObjectID.isHexDigit) else {
      throw LineageError.invalidDocument(
        "git object id", "'\(text.prefix(60))' is not 40 hex characters")
    }
    hex = lower
  }

  /// Wraps text the seam already knows is a well-formed id.
  init(trustedHex: String) { hex = trustedHex }

  /// The first 10 hex characters, for listings.
  public var short: String { String(hex.prefix(10)) }

  public static func < (lhs: GitObjectID, rhs: GitObjectID) -> Bool { lhs.hex < rhs.hex }

  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do { try self.init(hex: text) } catch let error as LineageError {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(hex)
  }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
  }
}

extension GitObjectID: CustomStringConvertible {
  /// The full 40-character hex form.
  public var description: String { hex }
}
