// The mechanism label METHOD.md §6.2 gives reasoning features.

/// How a reasoning feature relates to the reasoning behaviour.
public enum FeatureMechanism: String, Hashable, Sendable, CaseIterable, Codable {
  /// Defined by the tokens it promotes (its logit lens is led by hesitation/check words).
  case output
  /// Fires on one specific token regardless of context.
  case inputSimple = "input_simple"
  /// Fires in a context (several tokens, or line starts before a hesitation word).
  case inputAbstract = "input_abstract"
}
