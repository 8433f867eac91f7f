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
    let scalars = Array(text.unicodeScalars)
    var start = 0
    for end in TokenizerSplitter.pieceEnds(scalars) {
      var piece = String.UnicodeScalarView()
      piece.append(contentsOf: scalars[start..<end])
      model.encode(piece: String(piece), into: &ids)
      start = end
    }
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
  /// NFC (canonical composition), skipping the work for ASCII, which NFC leaves unchanged.
  var precomposedNFC: String {
    if utf8.allSatisfy({ $0 < 0x80 }) { return self }
    return precomposedStringWithCanonicalMapping
  }
}
