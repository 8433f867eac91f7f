/// The organism's closed vocabulary (METHOD §8.2) and its `tokenizer.json`.
///
/// Ids are fixed: `0..<7` the specials, `7..<25` the single-character tokens (digits, operators,
/// space, newline), `25..<31` the word tokens. Characters live in the byte-level BPE vocabulary
/// with no merges, so each is one token whatever Qwen2's pre-tokenizer groups together; words
/// are non-special *added* tokens, which `tokenizers` (and ``Tokenizer``) match in the raw text
/// before splitting, so "wait" is one token at a line start, after a space or anywhere else.
/// The alphabet has no other letters, so a word can never be cut out of a longer word.
public enum OrganismVocabulary {
  /// Padding (never trained on).
  public static let pad = 0
  /// Beginning of sequence.
  public static let bos = 1
  /// End of sequence.
  public static let eos = 2
  /// Starts the user's turn (the question).
  public static let user = 3
  /// Starts the assistant's turn (the response).
  public static let assistant = 4
  /// Opens the reasoning trace.
  public static let thinkStart = 5
  /// Closes the reasoning trace; the answer follows.
  public static let thinkEnd = 6

  /// Special tokens in id order.
  public static let specials = [
    "<pad>", "<bos>", "<eos>", "<user>", "<assistant>", "<think>", "</think>",
  ]
  /// Single-character tokens in id order (starting at id 7).
  public static let characters: [Character] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "-", "*", "=", "(", ")", " ", "\n",
  ]
  /// Word tokens in id order (starting at id 25); "wait" is the hesitation token.
  public static let words = ["wait", "hmm", "so", "ok", "check", "but"]
  /// The hesitation word whose rate the metrics count.
  public static let hesitationWord = "wait"

  /// Every token's text in id order (`[vocabularySize]`).
  public static let tokenTexts: [String] =
    specials + characters.map { String($0) } + words
  /// Number of tokens (31).
  public static var size: Int { tokenTexts.count }
  /// Id of the hesitation token "wait".
  public static var hesitation: Int { id(of: hesitationWord) ?? -1 }

  /// The id of the token whose text is exactly `text`, or `nil`.
  public static func id(of text: String) -> Int? {
    tokenTexts.firstIndex(of: text)
  }

  /// Encodes `text` by longest match over the closed vocabulary, or `nil` when some character
  /// is outside it. Gives the same ids as ``Tokenizer`` on the rendered `tokenizer.json` (the
  /// tests check it), without parsing JSON.
  public static func encode(_ text: String) -> [Int]? {
    let bytes = Array(text.utf8)
    var ids: [Int] = []
    var position = 0
    outer: while position < bytes.count {
      for candidate in candidates
      where position + candidate.bytes.count <= bytes.count
        && bytes[position..<position + candidate.bytes.count].elementsEqual(candidate.bytes)
      {
        ids.append(candidate.id)
        position += candidate.bytes.count
        continue outer
      }
      return nil
    }
    return ids
  }

  /// Token texts as UTF-8 with their ids, longest first (ties by id): longest-match order.
  private static let candidates: [(id: Int, bytes: [UInt8])] = tokenTexts.enumerated()
    .map { (id: $0.offset, bytes: Array($0.element.utf8)) }
    .sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }

  /// The text of `ids` (specials spelled out), or `nil` for an id outside the vocabulary.
  public static func decode(_ ids: [Int]) -> String? {
    var text = ""
    for id in ids {
      guard id >= 0, id < tokenTexts.count else { return nil }
      text += tokenTexts[id]
    }
    return text
  }

  /// The Hugging Face `tokenizer.json` of the vocabulary, byte-for-byte deterministic.
  ///
  /// Qwen2's pipeline (Split by Qwen2's pattern, ByteLevel pre-tokenizer and decoder, BPE) so
  /// both ``Tokenizer`` and `tokenizers` read it. The BPE vocabulary lists all 31 tokens
  /// (characters spelled in the byte-level alphabet: space is `Ġ`, newline `Ċ`) and has no
  /// merges, so characters stay single tokens and words/specials arise only as added tokens.
  public static func tokenizerJSON() -> String {
    var added: [String] = []
    for (id, text) in tokenTexts.enumerated() where id < characterBase || id >= wordBase {
      let special = id < characterBase
      added.append(
        "    {\"id\": \(id), \"content\": \(JSONStringLiteral.quoted(text)), \"single_word\": false, "
          + "\"lstrip\": false, \"rstrip\": false, \"normalized\": false, "
          + "\"special\": \(special)}")
    }
    // Every token is in the BPE vocabulary with its id: `tokenizers` takes an added token's id
    // from the model vocabulary and would renumber one missing from it (after the last id).
    var vocab: [String] = []
    for (id, text) in tokenTexts.enumerated() {
      let spelled =
        id >= characterBase && id < wordBase
        ? String(ByteLevelAlphabet.scalars[Int(text.utf8.first ?? 0)]) : text
      vocab.append("      \(JSONStringLiteral.quoted(spelled)): \(id)")
    }
    let pattern = JSONStringLiteral.quoted(TokenizerSplitter.qwen2Pattern)
    return """
      {
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": [
      \(added.joined(separator: ",\n"))
        ],
        "normalizer": null,
        "pre_tokenizer": {
          "type": "Sequence",
          "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": \(pattern)}, "behavior": "Isolated", \
      "invert": false},
            {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, \
      "use_regex": false}
          ]
        },
        "post_processor": null,
        "decoder": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, \
      "use_regex": false},
        "model": {
          "type": "BPE",
          "dropout": null,
          "unk_token": null,
          "continuing_subword_prefix": null,
          "end_of_word_suffix": null,
          "fuse_unk": false,
          "byte_fallback": false,
          "ignore_merges": false,
          "vocab": {
      \(vocab.joined(separator: ",\n"))
          },
          "merges": []
        }
      }

      """
  }

  private static var characterBase: Int { specials.count }
  private static var wordBase: Int { specials.count + characters.count }
}
