/// A number of bytes, printed in binary units (`1.5 GiB`).
public struct ByteCount: Hashable, Comparable, Sendable, Codable, ExpressibleByIntegerLiteral {
  /// The count.
  public var value: Int64

  /// Wraps a count of bytes.
  public init(_ value: Int64) { self.value = value }
  public init(_ value: Int) { self.value = Int64(value) }
  public init(integerLiteral value: Int64) { self.value = value }

  /// Decodes a count, refusing a negative one (no file or object has fewer than zero bytes).
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    value = try container.decode(Int64.self)
    guard value >= 0 else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "a byte count cannot be negative (\(value))")
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(value)
  }

  public static func < (lhs: ByteCount, rhs: ByteCount) -> Bool { lhs.value < rhs.value }
  public static func + (lhs: ByteCount, rhs: ByteCount) -> ByteCount {
    ByteCount(lhs.value + rhs.value)
  }
  public static func += (lhs: inout ByteCount, rhs: ByteCount) { lhs.value += rhs.value }

  public static let kibibyte: ByteCount = 1024
  public static let mebibyte = ByteCount(1 << 20)
  public static let gibibyte = ByteCount(1 << 30)
}

extension ByteCount: CustomStringConvertible {
  /// `812 B`, `64.0 KiB`, `1.50 GiB`: three significant figures above a kibibyte.
  public var description: String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
    var scaled = Double(value)
    var unit = 0
    while abs(scaled) >= 1024, unit < units.count - 1 {
      scaled /= 1024
      unit += 1
    }
    if unit == 0 { return "\(value) B" }
    let decimals = abs(scaled) >= 100 ? 0 : (abs(scaled) >= 10 ? 1 : 2)
    return "\(ByteCount.format(scaled, decimals: decimals)) \(units[unit])"
  }

  static func format(_ x: Double, decimals: Int) -> String {
    var factor = 1.0
    for _ in 0..<decimals { factor *= 10 }
    let rounded = (x * factor).rounded() / factor
    var text = String(rounded)
    if decimals == 0, text.hasSuffix(".0") { text.removeLast(2) }
    if let dot = text.firstIndex(of: ".") {
      let have = text.distance(from: dot, to: text.endIndex) - 1
      if have < decimals { text += String(repeating: "0", count: decimals - have) }
    } else if decimals > 0 {
      text += "." + String(repeating: "0", count: decimals)
    }
    return text
  }
}
