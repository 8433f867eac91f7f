// The level-1 categories of METHOD.md §6.2, assigned here by ``FeatureClassifier``'s rules
// instead of an LLM judge (METHOD §8.5).

/// What kind of thing a feature responds to.
public enum FeatureCategory: String, Hashable, Sendable, CaseIterable, Codable {
  /// Punctuation, whitespace, connectives ("so", "ok"), sequence structure.
  case language
  /// Arithmetic notation: digits, operators, `=`, parentheses.
  case domain
  /// Behaviour specific to reasoning-model style: hesitation, re-checking, correction.
  case reasoning
  /// Too few examples, or no rule's majority.
  case uninterpretable
}
