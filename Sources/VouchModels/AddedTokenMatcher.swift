/// Finds added tokens in raw text, leftmost first and longest first at a position — the
/// `LeftmostLongest` Aho-Corasick match of `tokenizers`' `AddedVocabulary` — and splits the text
/// around them.
struct AddedTokenMatcher: Sendable {
  /// A piece of input: text to normalise and split, or an added token's id.
  enum Segment: Equatable {
    case text(Range<Int>)
    case token(Int)
  }

  /// Candidates by first UTF-8 byte, longest first: (content bytes, token).
  private let byFirstByte: [[([UInt8], AddedToken)]]

  init(_ tokens: [AddedToken]) {
    var table = [[([UInt8], AddedToken)]](repeating: [], count: 256)
    for token in tokens {
      let content = token.normalized ? token.content.precomposedNFC : token.content
      let bytes = Array(content.utf8)
      guard let first = bytes.first else { continue }
      table[Int(first)].append((bytes, token))
    }
    for index in table.indices { table[index].sort { $0.0.count > $1.0.count } }
    byFirstByte = table
  }

  /// Whether no tokens can match (then the whole text is one segment).
  var isEmpty: Bool { byFirstByte.allSatisfy(\.isEmpty) }

  /// Splits the UTF-8 bytes `text` into text ranges and tokens.
  func segments(_ text: [UInt8]) -> [Segment] {
    var segments: [Segment] = []
    var textStart = 0
    var position = 0
    while position < text.count {
      guard let (token, matchEnd) = match(text, at: position) else {
        position += 1
        continue
      }
      var start = position
      var end = matchEnd
      if token.leftStrip {
        while start > textStart, AddedTokenMatcher.isSpace(text[start - 1]) { start -= 1 }
      }
      if token.rightStrip {
        while end < text.count, AddedTokenMatcher.isSpace(text[end]) { end += 1 }
      }
      if start > textStart { segments.append(.text(textStart..<start)) }
      segments.append(.token(token.id))
      textStart = end
      position = end
    }
    if textStart < text.count { segments.append(.text(textStart..<text.count)) }
    return segments
  }

  private func match(_ text: [UInt8], at position: Int) -> (AddedToken, Int)? {
    let candidates = byFirstByte[Int(text[position])]
    if candidates.isEmpty { return nil }
    for (content, token) in candidates where position + content.count <= text.count {
      var equal = true
      for offset in 1..<max(content.count, 1) where text[position + offset] != content[offset] {
        equal = false
        break
      }
      guard equal else { continue }
      let end = position + content.count
      if token.singleWord,
        (position > 0 && AddedTokenMatcher.isWordByte(text[position - 1]))
          || (end < text.count && AddedTokenMatcher.isWordByte(text[end]))
      {
        continue
      }
      return (token, end)
    }
    return nil
  }

  /// ASCII whitespace (what `lstrip`/`rstrip` swallow in practice).
  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
  }

  /// Letters, digits, `_` and any non-ASCII byte count as word characters for `single_word`.
  private static func isWordByte(_ byte: UInt8) -> Bool {
    byte >= 0x80 || byte == UInt8(ascii: "_") || (0x30...0x39).contains(byte)
      || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
  }
}
