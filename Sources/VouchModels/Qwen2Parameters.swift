// The whole Qwen2ForCausalLM as trainable, scalar-generic tensors, with the training forward
// and backward (Qwen2Parameters+Training.swift).
import VouchEngine

/// Every weight of a Qwen2 model (or their gradients: the same shapes), `Scalar`-generic so the
/// same code trains in Float32 and is gradient-checked in Float64.
public struct Qwen2Parameters<Scalar: TensorScalar>: Sendable {
  /// Shapes and hyper-parameters.
  public let configuration: Qwen2Configuration
  /// `model.embed_tokens.weight`, `[vocab, d]`; also the LM head when tied.
  public var embedding: Tensor<Scalar>
  /// The decoder blocks, in order.
  public var layers: [Qwen2LayerParameters<Scalar>]
  /// `model.norm.weight`, `[d]`.
  public var finalNormGain: Tensor<Scalar>
  /// `lm_head.weight`, `[vocab, d]`; an empty `[0, d]` tensor when the head is tied to the
  /// embedding (`tie_word_embeddings`), so that every parameter has a key path.
  public var unembedding: Tensor<Scalar>

  /// Every tensor with its checkpoint name, in a fixed order (embedding, layers, norm, head);
  /// a tied model has no `lm_head.weight` entry.
  public var namedPaths: [(String, WritableKeyPath<Self, Tensor<Scalar>>)] {
    var paths: [(String, WritableKeyPath<Self, Tensor<Scalar>>)] = [
      (Qwen2Model.embeddingName, \.embedding)
    ]
    for index in layers.indices {
      for (suffix, path) in Qwen2LayerParameters<Scalar>.namedPaths {
        let layer: WritableKeyPath<Self, Qwen2LayerParameters<Scalar>> = \Self.layers[index]
        paths.append((Qwen2DecoderLayer.prefix(index) + suffix, layer.appending(path: path)))
      }
    }
    paths.append((Qwen2Model.normName, \.finalNormGain))
    if !configuration.tieWordEmbeddings {
      paths.append((Qwen2Model.unembeddingName, \.unembedding))
    }
    return paths
  }

  /// Parameters named as in a checkpoint, from `tensor(name, shape)`.
  public init(
    configuration c: Qwen2Configuration, tensor: (String, [Int]) throws -> Tensor<Scalar>
  ) rethrows {
    configuration = c
    let table = [c.vocabularySize, c.hiddenSize]
    embedding = try tensor(Qwen2Model.embeddingName, table)
    layers = try (0..<c.layerCount).map {
      try Qwen2LayerParameters(index: $0, configuration: c, tensor: tensor)
    }
    finalNormGain = try tensor(Qwen2Model.normName, [c.hiddenSize])
    unembedding =
      c.tieWordEmbeddings
      ? Tensor(shape: [0, c.hiddenSize]) : try tensor(Qwen2Model.unembeddingName, table)
  }

  /// Parameters widened from a checkpoint's weights (bf16/f16/f32 → `Scalar`).
  /// - Throws: `ModelError` when a tensor is missing or mis-shaped.
  public init(source: any WeightSource, configuration: Qwen2Configuration) throws {
    try Qwen2Model.verify(source, against: configuration)
    try self.init(configuration: configuration) { name, shape in
      try source.tensor(name, shape: shape).converted(to: Scalar.self)
    }
  }

  /// The same parameters in another scalar type.
  public func converted<Other: TensorScalar>(to _: Other.Type = Other.self)
    -> Qwen2Parameters<Other>
  {
    var result = Qwen2Parameters<Other>(configuration: configuration) { _, shape in
      Tensor(shape: shape)
    }
    for ((_, mine), (_, theirs)) in zip(namedPaths, result.namedPaths) {
      result[keyPath: theirs] = self[keyPath: mine].converted(to: Other.self)
    }
    return result
  }

  /// The LM head: `unembedding`, or `embedding` when tied. `[vocab, d]`.
  var head: Tensor<Scalar> { configuration.tieWordEmbeddings ? embedding : unembedding }
}
