/// A token matched in the raw text before normalisation and splitting (`added_tokens` in
/// `tokenizer.json`): chat markers such as `<|im_end|>`, or extra words such as `<think>`.
public struct AddedToken: Sendable, Hashable {
  /// The token's id.
  public var id: Int
  /// The exact text that stands for the token.
  public var content: String
  /// Whether decoding may skip it (`skip_special_tokens`).
  public var special: Bool
  /// Match only when not inside a word (no letter, digit or `_` on either side).
  public var singleWord: Bool
  /// Also swallow whitespace to the left of the match.
  public var leftStrip: Bool
  /// Also swallow whitespace to the right of the match.
  public var rightStrip: Bool
  /// Whether the token is matched against normalised text (vouch matches its NFC form).
  public var normalized: Bool

  /// Creates an added token.
  public init(
    id: Int, content: String, special: Bool, singleWord: Bool = false, leftStrip: Bool = false,
    rightStrip: Bool = false, normalized: Bool = false
  ) {
    self.id = id
    self.content = content
    self.special = special
    self.singleWord = singleWord
    self.leftStrip = leftStrip
    self.rightStrip = rightStrip
    self.normalized = normalized
  }
}
