// How a backward pass treats the non-linear parts of a forward: the exact gradient (training)
// or METHOD.md §6.4's RelP linearisation (attribution). The forward is the same either way.

/// The rule a backward op follows where the forward is non-linear.
///
/// `.exact` is the true gradient. `.relp` is the linearisation of METHOD.md §6.4, under which a
/// Qwen2 replacement model is linear in its leaves (token embeddings, transcoder features, value
/// biases and decoder biases), so gradient × input decompositions are complete:
///
/// | op | `.relp` backward |
/// | --- | --- |
/// | RMSNorm `y = γ ⊙ x · r`, `r = 1/√(mean(x²) + ε)` | `r` frozen: `∂x = r · γ ⊙ ∂y` |
/// | attention `O = softmax(S) · V` | pattern frozen: `∂Q = ∂K = 0`, `∂V = Pᵀ · ∂O` |
/// | SiLU `y = z · σ(z)` | `σ(z)` frozen: `∂z = σ(z) · ∂y` |
/// | gate·up product `c = a ⊙ b` | half rule: `∂a = ½ · b₀ ⊙ ∂c`, `∂b = ½ · a₀ ⊙ ∂c` |
///
/// Every rule evaluated at the forward's own point gives the forward's value, which is why the
/// decomposition sums to the target value (METHOD.md §10.7).
public enum BackwardRule: String, Sendable, Hashable, CaseIterable {
  /// The exact gradient of the forward.
  case exact
  /// RelP's linearised backward: frozen norm scales and attention patterns, SiLU's identity
  /// rule and the half rule on products of two activations.
  case relp

  /// The share of a product's gradient each factor receives: 1 for `.exact`, ½ for `.relp`
  /// (the half rule `c = ½·a(u) ⊙ b₀ + ½·a₀ ⊙ b(u)`).
  public func productShare<Scalar: TensorScalar>(_: Scalar.Type = Scalar.self) -> Scalar {
    self == .exact ? 1 : Scalar(0.5)
  }
}
