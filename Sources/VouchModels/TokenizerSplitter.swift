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

  /// The class of `scalar`.
  static func classify(_ scalar: Unicode.Scalar) -> Class {
    if scalar.value < 128 { return asciiClasses[Int(scalar.value)] }
    let properties = scalar.properties
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
    let classes = scalars.map(classify)
    var ends: [Int] = []
    ends.reserveCapacity(scalars.count / 3 + 1)
    var start = 0
    while start < scalars.count {
      let end = pieceEnd(scalars, classes, from: start)
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
  static func pieceEnd(_ s: [Unicode.Scalar], _ cls: [Class], from i: Int) -> Int {
    let n = s.count
    // (?i:'s|'t|'re|'ve|'m|'ll|'d)
    if s[i] == "'", i + 1 < n {
      let a = asciiLower(s[i + 1])
      if a == "s" || a == "t" || a == "m" || a == "d" { return i + 2 }
      if i + 2 < n {
        let b = asciiLower(s[i + 2])
        if (a == "r" && b == "e") || (a == "v" && b == "e") || (a == "l" && b == "l") {
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

  private static func asciiLower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32) ?? scalar : scalar
  }
}
