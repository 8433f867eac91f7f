import VouchEngine

extension Qwen2Model {
  /// `model.embed_tokens.weight`.
  public static let embeddingName = "model.embed_tokens.weight"
  /// `model.norm.weight`.
  public static let normName = "model.norm.weight"
  /// `lm_head.weight` (absent when embeddings are tied).
  public static let unembeddingName = "lm_head.weight"

  /// Every tensor name a checkpoint of `configuration` holds, with its shape.
  public static func expectedShapes(_ c: Qwen2Configuration) -> [String: [Int]] {
    var shapes: [String: [Int]] = [
      embeddingName: [c.vocabularySize, c.hiddenSize], normName: [c.hiddenSize],
    ]
    if !c.tieWordEmbeddings { shapes[unembeddingName] = [c.vocabularySize, c.hiddenSize] }
    for index in 0..<c.layerCount {
      shapes.merge(Qwen2DecoderLayer.expectedShapes(index: index, configuration: c)) { a, _ in a }
    }
    return shapes
  }

  /// Strict loading: every expected tensor present with its shape, and nothing else.
  /// - Throws: `ModelError` naming the first (sorted) missing, unexpected or mis-shaped tensor.
  static func verify(_ source: any WeightSource, against c: Qwen2Configuration) throws {
    let expected = expectedShapes(c)
    let present = Set(source.tensorNames)
    if let missing = expected.keys.sorted().first(where: { !present.contains($0) }) {
      throw ModelError(
        .missing,
        "tensor '\(missing)' is missing from the weights"
          + (missing == unembeddingName ? " (set tie_word_embeddings if it is tied)" : ""))
    }
    if let extra = present.sorted().first(where: { expected[$0] == nil }) {
      let hint = extra == unembeddingName ? " (the config says tie_word_embeddings = true)" : ""
      throw ModelError(
        .mismatch,
        "unexpected tensor '\(extra)' in the weights\(hint); "
          + "the checkpoint does not match its config.json")
    }
    for name in expected.keys.sorted() {
      guard let stored = source.shapeAndType(of: name) else { continue }
      if stored.shape != expected[name] {
        throw ModelError(
          .mismatch,
          "tensor '\(name)' has shape \(stored.shape) but config.json "
            + "implies \(expected[name] ?? [])")
      }
    }
  }

  /// Layer `index`'s weights from `source`, widened to Float32 (bf16 and f16 become Float32).
  static func layer(_ source: any WeightSource, index: Int, _ c: Qwen2Configuration) throws
    -> Qwen2LayerParameters<Float>
  {
    try Qwen2LayerParameters<Float>(index: index, configuration: c) { name, shape in
      try source.tensor(name, shape: shape)
    }
  }

  static func embedding(_ source: any WeightSource, _ c: Qwen2Configuration) throws
    -> Tensor<Float>
  {
    try source.tensor(embeddingName, shape: [c.vocabularySize, c.hiddenSize])
  }

  static func normGain(_ source: any WeightSource, _ c: Qwen2Configuration) throws
    -> Tensor<Float>
  {
    try source.tensor(normName, shape: [c.hiddenSize])
  }

  static func unembedding(_ source: any WeightSource, _ c: Qwen2Configuration) throws
    -> Tensor<Float>
  {
    try source.tensor(
      c.tieWordEmbeddings ? embeddingName : unembeddingName,
      shape: [c.vocabularySize, c.hiddenSize])
  }
}
