// The one architecture-compatibility rule: the replacement model, the hybrid, faithfulness,
// generation with adapters and the adapter stages all ask it.

extension Qwen2Configuration {
  /// Whether a model of this configuration and one of `other` compute the same shapes the same
  /// way, so that blocks, MLPs and adapters of one can run in the other (R fine-tuned from B).
  ///
  /// Informational fields (`bos`/`eos` ids, `max_position_embeddings`, which differs between
  /// Qwen2.5-Math-7B and R1-Distill-Qwen-7B) may differ.
  public func sharesArchitecture(with other: Qwen2Configuration) -> Bool {
    hiddenSize == other.hiddenSize && intermediateSize == other.intermediateSize
      && layerCount == other.layerCount && attentionHeads == other.attentionHeads
      && keyValueHeads == other.keyValueHeads && headDimension == other.headDimension
      && vocabularySize == other.vocabularySize && rmsNormEpsilon == other.rmsNormEpsilon
      && ropeTheta == other.ropeTheta && tieWordEmbeddings == other.tieWordEmbeddings
  }
}
