// What an attribution graph explains: the next-token logits or one feature.

/// The root of an attribution graph.
public enum AttributionTarget: Sendable, Hashable {
  /// The most probable next tokens at the last position (METHOD.md §6.4's logit targets), each
  /// injected as its de-meaned unembedding row at the final norm's output.
  case logits
  /// Only this token's logit (e.g. the hesitation token), injected the same way, weight 1.
  case logit(token: Int)
  /// One active feature, injected as its encoder row at the MLP input it reads.
  case feature(FeatureAddress)
}

/// One target node of a graph: what was injected and how much it weighs in influence.
public struct AttributionTargetNode: Sendable, Hashable {
  /// What the node is.
  public enum Kind: Sendable, Hashable {
    /// The logit of token `token` at the last position.
    case logit(token: Int)
    /// A feature (a feature target).
    case feature(FeatureAddress)
  }

  /// What the node is.
  public var kind: Kind
  /// Its weight in influence: the softmax probability of a logit, 1 for a feature target.
  public var weight: Double
  /// The target's value `⟨v_t, r_t⟩` under the normal forward.
  public var value: Double
  /// The relative completeness error of its row (METHOD.md §10.7), before BOS zeroing.
  public var completenessError: Double
}
