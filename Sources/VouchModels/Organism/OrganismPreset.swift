/// The two tiny Qwen2 shapes of the model organism (METHOD §8.1); B and R share one.
///
/// Every Qwen2 detail of METHOD §1.1 is kept: RMSNorm ε = 1e-6, half-split RoPE with
/// θ = 10000, GQA (`n_h / n_kv = 2`), q/k/v biases, no o_proj bias, SwiGLU without biases,
/// untied LM head. The vocabulary is the organism's closed one (V = 31, not METHOD's "≈40").
public enum OrganismPreset: String, CaseIterable, Sendable, Hashable {
  /// CI size: L = 4, d = 64, n_h = 4, n_kv = 2, d_h = 16, d_ff = 192, T_max = 64.
  case tinyA = "tiny-A"
  /// Default size: L = 4, d = 128, n_h = 4, n_kv = 2, d_h = 32, d_ff = 384, T_max = 96.
  case tinyB = "tiny-B"

  /// `T_max`, the longest training sequence in tokens (longer ones are truncated).
  public var maximumLength: Int {
    switch self {
    case .tinyA: 64
    case .tinyB: 96
    }
  }

  /// The Qwen2 configuration of this preset, with `<bos>`/`<eos>` of ``OrganismVocabulary`` and
  /// `max_position_embeddings = T_max`.
  public var configuration: Qwen2Configuration {
    let (d, dff) =
      switch self {
      case .tinyA: (64, 192)
      case .tinyB: (128, 384)
      }
    return Qwen2Configuration(
      hiddenSize: d, intermediateSize: dff, layerCount: 4, attentionHeads: 4, keyValueHeads: 2,
      headDimension: d / 4, vocabularySize: OrganismVocabulary.size, rmsNormEpsilon: 1e-6,
      ropeTheta: 10_000, tieWordEmbeddings: false, maxPositionEmbeddings: maximumLength,
      bosTokenID: OrganismVocabulary.bos, eosTokenIDs: [OrganismVocabulary.eos])
  }
}
