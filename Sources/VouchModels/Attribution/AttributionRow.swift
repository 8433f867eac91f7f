// One row of an attribution graph: the gradient × input decomposition of one target's value.

/// The direct effects on one target `t` of every leaf of the linearised replacement model.
///
/// With injection `v_t` at state `r_t`, back-propagated under RelP:
/// `A[t, s] = f_s · ∂(v_t·r_t)/∂f_s` for every active feature `s`,
/// `A[t, tok_p] = ⟨∂(v_t·r_t)/∂h_0[p], E[x_p]⟩` for every position, and the constant paths
/// (value biases `b_v` and decoder biases `b_dec`) summed in ``biasTotal``. Their sum is the
/// target's value (METHOD.md §10.7); ``completenessError`` measures how far it is.
public struct AttributionRow: Sendable, Hashable {
  /// The target's value `⟨v_t, r_t⟩` under the normal forward.
  public var value: Double
  /// `A[t, s]` for the attributor's active features, in their (canonical) order, BOS features
  /// included; 0 for features not upstream of the target.
  public var featureEdges: [Double]
  /// `A[t, tok_p]` for `p = 0..<T`, the BOS token included.
  public var tokenEdges: [Double]
  /// `Σ_b ⟨Σ_p ∂/∂v_b[p], b_v⟩ + Σ_b ⟨Σ_p ∂/∂h_{b+1}[p], b_dec⟩` over the crossed blocks: the
  /// constant paths of the linearised model (value biases, already summed over the query heads
  /// of each KV head, and decoder biases).
  public var biasTotal: Double

  /// `Σ features + Σ tokens + biases`, each group summed in index order, then added in that
  /// order.
  public var total: Double {
    featureEdges.reduce(0, +) + tokenEdges.reduce(0, +) + biasTotal
  }

  /// `|total − value| / max(|value|, 1e-30)`: 0 up to rounding for a complete decomposition.
  public var completenessError: Double {
    abs(total - value) / max(abs(value), 1e-30)
  }
}
