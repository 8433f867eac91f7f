import Foundation

/// A byte-level BPE tokenizer read from a Hugging Face `tokenizer.json` (Qwen2's kind).
///
/// Encoding follows `tokenizers`: added tokens are found in the raw text first (leftmost,
/// longest); each stretch between them is NFC-normalised, split by Qwen2's pattern
/// (``TokenizerSplitter``), spelled in the byte-level alphabet and merged by BPE ranks.
/// Decoding maps tokens back to bytes (the ByteLevel decoder) and reads them as UTF-8.
public struct Tokenizer: Sendable {
  /// Where the tokenizer was read from, for messages.
  public let source: String
  /// Every added token (special or not), by id.
  public let addedTokens: [Int: AddedToken]
  /// Whether text is NFC-normalised before splitting (`normalizer: NFC`).
  let normalizesNFC: Bool
  let model: BytePairEncoder
  let matcher: AddedTokenMatcher
  /// Token string by id (alphabet-spelled for vocabulary tokens, content for added tokens).
  let tokenStrings: [String?]
  /// The bytes each id decodes to (the ByteLevel decoder applied to one token).
  let tokenBytes: [[UInt8]?]

  /// One past the largest token id.
  public var vocabularySize: Int { tokenStrings.count }

  /// The token string of `id` as `tokenizer.json` spells it (`"Ġthe"`), or `nil`.
  public func token(for id: Int) -> String? {
    id >= 0 && id < tokenStrings.count ? tokenStrings[id] : nil
  }

  /// The id of the token spelled `token` (vocabulary or added), or `nil`.
  public func id(for token: String) -> Int? {
    if let id = model.vocabulary[token] { return Int(id) }
    return addedTokens.values.first(where: { $0.content == token })?.id
  }

  /// Encodes `text` to token ids.
  public func encode(_ text: String) -> [Int] {
    encode32(text).map(Int.init)
  }

  /// Encodes `text`, returning ids as `Int32` (the tokenizer's own width).
  public func encode32(_ text: String) -> [Int32] {
    var ids: [Int32] = []
    ids.reserveCapacity(text.utf8.count / 3 + 1)
    let bytes = Array(text.utf8)
    if matcher.isEmpty {
      encodeText(bytes[...], into: &ids)
      return ids
    }
    for segment in matcher.segments(bytes) {
      switch segment {
      case .token(let id): ids.append(Int32(id))
      case .text(let range): encodeText(bytes[range], into: &ids)
      }
    }
    return ids
  }

  /// Normalises, splits and merges one stretch of text without added tokens.
  private func encodeText(_ utf8: ArraySlice<UInt8>, into ids: inout [Int32]) {
    var text = String(decoding: utf8, as: UTF8.self)
    if normalizesNFC { text = text.precomposedNFC }
    text.withUTF8 { bytes in
      // Scalars of the text with their classes and starting byte offsets.
      var values: [UInt32] = []
      var classes: [TokenizerSplitter.Class] = []
      var offsets: [Int] = []
      values.reserveCapacity(bytes.count)
      classes.reserveCapacity(bytes.count)
      offsets.reserveCapacity(bytes.count + 1)
      var position = 0
      while position < bytes.count {
        let (value, length) = Tokenizer.decodeScalar(bytes, at: position)
        values.append(value)
        classes.append(TokenizerSplitter.classify(value: value))
        offsets.append(position)
        position += length
      }
      offsets.append(bytes.count)
      var start = 0
      for end in TokenizerSplitter.pieceEnds(values: values, classes: classes) {
        let piece = UnsafeBufferPointer(rebasing: bytes[offsets[start]..<offsets[end]])
        model.encode(piece: piece, into: &ids)
        start = end
      }
    }
  }

  /// The scalar value starting at `position` of valid UTF-8 `bytes`, and its length in bytes.
  @inline(__always)
  static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> (UInt32, Int) {
    let lead = UInt32(bytes[position])
    if lead < 0x80 { return (lead, 1) }
    func continuation(_ offset: Int) -> UInt32 { UInt32(bytes[position + offset] & 0x3F) }
    if lead < 0xE0 { return ((lead & 0x1F) << 6 | continuation(1), 2) }
    if lead < 0xF0 { return ((lead & 0x0F) << 12 | continuation(1) << 6 | continuation(2), 3) }
    return (
      (lead & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3), 4
    )
  }

  /// The token strings of `ids` (`"Ġthe"`, `"<|im_end|>"`); unknown ids give `"<unk:ID>"`.
  public func tokens(for ids: [Int]) -> [String] {
    ids.map { token(for: $0) ?? "<unk:\($0)>" }
  }

  /// Decodes `ids` to text; with `skipSpecial`, special added tokens are left out.
  ///
  /// Bytes that are not valid UTF-8 (a multi-byte character cut between tokens) become U+FFFD,
  /// as `tokenizers`' lossy decoding does.
  /// - Throws: `ModelError.missing` for an id outside the vocabulary.
  public func decode(_ ids: [Int], skipSpecial: Bool = false) throws -> String {
    var bytes: [UInt8] = []
    for id in ids {
      guard id >= 0, id < tokenBytes.count, let tokenBytes = tokenBytes[id] else {
        throw ModelError(
          .missing, "\(source): token id \(id) is not in the vocabulary (0..<\(vocabularySize))")
      }
      if skipSpecial, addedTokens[id]?.special == true { continue }
      bytes.append(contentsOf: tokenBytes)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

extension String {
  /// NFC (canonical composition), skipping the work when every scalar is one NFC never changes
  /// and never composes with a neighbour (see ``isNFCStable(_:)``).
  ///
  /// The full path is the standard library's own NFC (the one `String` uses to compare), not
  /// Foundation's `precomposedStringWithCanonicalMapping`: on Linux that one mangles a
  /// supplementary-plane scalar followed by a combining mark (U+E0072 U+030F became U+0211).
  var precomposedNFC: String {
    if unicodeScalars.allSatisfy({ String.isNFCStable($0.value) }) { return self }
    return String(decoding: _nfcCodeUnits, as: UTF8.self)
  }

  /// Whether `value` is in a range where NFC is the identity and nothing composes: below
  /// U+0300 (Latin, before the combining marks), basic Greek, Cyrillic and Arabic letters, kana
  /// without the voicing marks, CJK unified ideographs, precomposed Hangul syllables and emoji:
  /// each is its own NFC, has combining class 0 and is never the second half of a composition. A text holding anything else (combining
  /// marks, conjoining jamo, singletons such as U+2126) takes the full NFC.
  static func isNFCStable(_ value: UInt32) -> Bool {
    switch value {
    case 0..<0x300, 0x391...0x3A9, 0x3B1...0x3C9, 0x400...0x482, 0x48A...0x4FF, 0x621...0x64A,
      0x660...0x669, 0x3041...0x3096, 0x30A1...0x30FA, 0x4E00...0x9FFF, 0xAC00...0xD7A3,
      0x1F300...0x1FAFF, 0x200D, 0xFE0F:
      return true
    default:
      return false
    }
  }
}
