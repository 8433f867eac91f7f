/// Qwen2's pre-tokenizer split, written as a scanner over Unicode scalars instead of a regex.
///
/// It reproduces `Split(pattern, behavior: Isolated)` for Qwen2's pattern
/// ```
/// (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|
/// \s*[\r\n]+|\s+(?!\S)|\s+
/// ```
/// as Oniguruma (used by `tokenizers`) matches it: alternatives tried in order at each position,
/// greedy with backtracking. The pattern matches every scalar, so the pieces tile the text.
/// `\s` is Unicode White_Space, `\p{L}` and `\p{N}` are the general categories L* and N*; the
/// case-insensitive contractions fold ASCII letters only (Oniguruma does not fold `ſ` to `s`).
public enum TokenizerSplitter {
  /// The pattern this scanner implements, exactly as Qwen2's `tokenizer.json` spells it.
  public static let qwen2Pattern =
    #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|"#
    + #"\s*[\r\n]+|\s+(?!\S)|\s+"#

  /// What the pattern distinguishes about a scalar.
  enum Class: UInt8 {
    case letter, number, newline, space, otherWhitespace, other
    var isWhitespace: Bool { self == .newline || self == .space || self == .otherWhitespace }
  }

  private static let asciiClasses: [Class] = (0..<128).map { value in
    let scalar = Unicode.Scalar(UInt8(value))
    switch scalar {
    case "\r", "\n": return .newline
    case " ": return .space
    case "\t", "\u{0B}", "\u{0C}": return .otherWhitespace
    case "a"..."z", "A"..."Z": return .letter
    case "0"..."9": return .number
    default: return .other
    }
  }

  /// Classes of the Basic Multilingual Plane, computed once: Unicode property lookups are the
  /// scanner's most expensive step otherwise.
  private static let planeZeroClasses: [Class] = (0..<0x10000).map { value in
    guard let scalar = Unicode.Scalar(UInt32(value)) else { return .other }
    return classifyUncached(scalar)
  }

  /// The class of the scalar with value `value`.
  @inline(__always)
  static func classify(value: UInt32) -> Class {
    if value < 0x10000 { return planeZeroClasses[Int(value)] }
    guard let scalar = Unicode.Scalar(value) else { return .other }
    return classifyUncached(scalar)
  }

  /// The class of `scalar`.
  static func classify(_ scalar: Unicode.Scalar) -> Class { classify(value: scalar.value) }

  /// The Unicode version of the reference's character tables: the Oniguruma inside Hugging Face
  /// `tokenizers` 0.23 knows Unicode 16.0, the Swift runtime may know a newer one. A scalar
  /// assigned later (CJK Extension J, U+323B0…, is 17.0) is unassigned there — neither letter,
  /// number nor space — and must split the same way here.
  public static let unicodeVersion = (major: 16, minor: 0)

  private static func classifyUncached(_ scalar: Unicode.Scalar) -> Class {
    if scalar.value < 128 { return asciiClasses[Int(scalar.value)] }
    let properties = scalar.properties
    if let age = properties.age, (age.major, age.minor) > unicodeVersion { return .other }
    if properties.isWhitespace { return .otherWhitespace }
    switch properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
      return .letter
    case .decimalNumber, .letterNumber, .otherNumber:
      return .number
    default:
      return .other
    }
  }

  /// Splits `scalars` into pieces; returns the end index of each piece, in order.
  public static func pieceEnds(_ scalars: [Unicode.Scalar]) -> [Int] {
    let values = scalars.map(\.value)
    return pieceEnds(values: values, classes: values.map { classify(value: $0) })
  }

  /// Splits scalars given by their values and classes; returns the end index of each piece.
  static func pieceEnds(values: [UInt32], classes: [Class]) -> [Int] {
    var ends: [Int] = []
    ends.reserveCapacity(values.count / 3 + 1)
    var start = 0
    while start < values.count {
      let end = pieceEnd(values, classes, from: start)
      ends.append(end)
      start = end
    }
    return ends
  }

  /// Splits `text` into pieces (each a substring of `text`).
  public static func split(_ text: String) -> [String] {
    let scalars = Array(text.unicodeScalars)
    var pieces: [String] = []
    var start = 0
    for end in pieceEnds(scalars) {
      var piece = String.UnicodeScalarView()
      piece.append(contentsOf: scalars[start..<end])
      pieces.append(String(piece))
      start = end
    }
    return pieces
  }

  /// The end of the piece that starts at `i` (always greater than `i`).
  static func pieceEnd(_ s: [UInt32], _ cls: [Class], from i: Int) -> Int {
    let n = s.count
    // (?i:'s|'t|'re|'ve|'m|'ll|'d)
    if s[i] == 0x27, i + 1 < n {
      let a = asciiLower(s[i + 1])
      if a == 0x73 || a == 0x74 || a == 0x6D || a == 0x64 { return i + 2 }  // s t m d
      if i + 2 < n {
        let b = asciiLower(s[i + 2])
        // re, ve, ll
        if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) {
          return i + 3
        }
      }
    }
    let c = cls[i]
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if c != .letter && c != .number && c != .newline, i + 1 < n, cls[i + 1] == .letter {
      return run(of: .letter, in: cls, from: i + 1)
    }
    if c == .letter { return run(of: .letter, in: cls, from: i) }
    // \p{N}
    if c == .number { return i + 1 }
    // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
    var otherStart: Int?
    if c == .space, i + 1 < n, cls[i + 1] == .other {
      otherStart = i + 1
    } else if c == .other {
      otherStart = i
    }
    if let otherStart {
      let end = run(of: .other, in: cls, from: otherStart)
      return run(of: .newline, in: cls, from: end)
    }
    // Whitespace from here on: s[i..<j] is the whole run.
    var j = i
    var lastNewline = -1
    while j < n, cls[j].isWhitespace {
      if cls[j] == .newline { lastNewline = j }
      j += 1
    }
    // \s*[\r\n]+ : up to and including the run's last newline.
    if lastNewline >= 0 { return lastNewline + 1 }
    // \s+(?!\S) : the run, minus its last scalar when a non-space follows.
    if j == n { return j }
    if j - i >= 2 { return j - 1 }
    // \s+
    return j
  }

  private static func run(of target: Class, in cls: [Class], from start: Int) -> Int {
    var end = start
    while end < cls.count, cls[end] == target { end += 1 }
    return end
  }

  private static func asciiLower(_ value: UInt32) -> UInt32 {
    (0x41...0x5A).contains(value) ? value + 32 : value
  }
}
