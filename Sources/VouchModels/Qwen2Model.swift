// Qwen2 exactly as transformers' `Qwen2ForCausalLM` computes it (METHOD.md §1.1; HF
// `modeling_qwen2.py`): embedding → L pre-norm decoder blocks → RMSNorm → lm_head (no bias,
// possibly tied to the embedding).
import VouchEngine

/// A Qwen2 causal language model over a ``WeightSource``.
///
/// By default (``Residency/streamed``) weights stay in the source (a bf16 mapping stays bf16) and
/// each layer is widened to Float32 just before it runs and freed right after, so peak memory is
/// the mapping plus one layer in Float32 plus activations. ``Residency/resident`` widens
/// everything once, for speed on small models.
public struct Qwen2Model: Sendable {
  /// Per layer, a transcoder adapter run beside the MLP (its output added to the MLP's), or
  /// `nil`; empty (the default) runs the plain model. See ``withAdapters(_:)``.
  public var adapterBranches: [AdapterBranch?] = []

  /// Where Float32 weights live between forwards.
  public enum Residency: Sendable, Hashable {
    /// Widened per layer on every forward, then freed.
    case streamed
    /// Widened once at load and kept.
    case resident
  }

  /// What a forward records besides the logits.
  public struct Capture: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// Every residual-stream state `h_0 … h_L`.
    public static let residualStream = Capture(rawValue: 1)
    /// Every MLP's input (after `post_attention_layernorm`) and output.
    public static let mlpActivations = Capture(rawValue: 2)
  }

  /// The architecture.
  public let configuration: Qwen2Configuration
  /// Where the weights come from.
  public let source: any WeightSource
  /// How Float32 weights are kept.
  public let residency: Residency
  var residentLayers: [Qwen2LayerParameters<Float>]
  private let residentEmbedding: Tensor<Float>?
  private let residentNormGain: Tensor<Float>?
  private let residentUnembedding: Tensor<Float>?

  /// Checks `source` strictly against `configuration` and prepares the model.
  /// - Throws: `ModelError` naming the first missing tensor, unexpected tensor, or shape mismatch.
  public init(
    configuration: Qwen2Configuration, weights source: any WeightSource,
    residency: Residency = .streamed
  ) throws {
    try configuration.validate()
    try Qwen2Model.verify(source, against: configuration)
    self.configuration = configuration
    self.source = source
    self.residency = residency
    if residency == .resident {
      residentLayers = try (0..<configuration.layerCount).map {
        try Qwen2Model.layer(source, index: $0, configuration)
      }
      residentEmbedding = try Qwen2Model.embedding(source, configuration)
      residentNormGain = try Qwen2Model.normGain(source, configuration)
      residentUnembedding =
        configuration.tieWordEmbeddings
        ? residentEmbedding : try Qwen2Model.unembedding(source, configuration)
    } else {
      residentLayers = []
      residentEmbedding = nil
      residentNormGain = nil
      residentUnembedding = nil
    }
  }

  /// The full forward over `ids` from position 0 (no cache kept).
  /// - Parameters:
  ///   - ids: token ids, each in `0..<vocabularySize`.
  ///   - capture: what to record besides logits.
  ///   - context: profile and threads.
  /// - Returns: logits `[tokens, V]` and what `capture` asked for.
  /// - Throws: `ModelError` for an id outside the vocabulary or an unreadable weight.
  public func forward(_ ids: [Int], capture: Capture = [], context: ComputeContext) throws
    -> Qwen2Output
  {
    var cache = Qwen2KVCache(configuration: configuration)
    return try forward(ids, cache: &cache, capture: capture, context: context)
  }

  /// The forward of `ids` following the positions already in `cache` (incremental decoding);
  /// the cache is extended by `ids`.
  /// - Returns: logits `[ids.count, V]` for the new positions, and what `capture` asked for.
  /// - Throws: `ModelError` for an id outside the vocabulary or an unreadable weight.
  public func forward(
    _ ids: [Int], cache: inout Qwen2KVCache, capture: Capture = [], context: ComputeContext
  ) throws -> Qwen2Output {
    let c = configuration
    if let bad = ids.first(where: { $0 < 0 || $0 >= c.vocabularySize }) {
      throw ModelError(
        .mismatch, "token id \(bad) is outside the vocabulary 0..<\(c.vocabularySize)")
    }
    precondition(cache.layers.count == c.layerCount, "cache built for another configuration")
    var hidden =
      try residentEmbedding?.gatherRows(ids)
      ?? source.gather(
        Qwen2Model.embeddingName, shape: [c.vocabularySize, c.hiddenSize], rows: ids)
    var output = Qwen2Output()
    if capture.contains(.residualStream) { output.residualStream.append(hidden) }
    let captureMLP = capture.contains(.mlpActivations)
    for index in 0..<c.layerCount {
      // Streamed: this layer's Float32 weights live only for this iteration.
      let layer =
        residency == .resident
        ? residentLayers[index] : try Qwen2Model.layer(source, index: index, c)
      let step = layer.forward(
        hidden, configuration: c, cache: &cache.layers[index], context: context)
      hidden = step.output
      if captureMLP {
        output.mlpInputs.append(step.activations.mlp.input)
        output.mlpOutputs.append(step.activations.mlpOutput)
      }
      // The adapter reads the MLP input and adds after the block: h = (h' + MLP(u)) + T(u), the
      // order of ReplacementModel.run.
      if index < adapterBranches.count, let branch = adapterBranches[index] {
        hidden.add(branch(step.activations.mlp.input, context: context))
      }
      if capture.contains(.residualStream) { output.residualStream.append(hidden) }
    }
    let gain = try residentNormGain ?? Qwen2Model.normGain(source, c)
    output.finalHidden = hidden.rmsNormalized(gain: gain, epsilon: Float(c.rmsNormEpsilon))
    output.logits = try unembed(output.finalHidden, context: context)
    return output
  }
}

extension Qwen2Model {
  /// Vocabulary rows per unembedding chunk: a streamed bf16 `lm_head` is widened this many rows
  /// at a time (58 MB of Float32 for Qwen2-7B's width), never whole. Resident weights use the same
  /// chunks, so both residencies give the same bits.
  public static let unembeddingChunkRows = 8192

  /// `logits = hidden · W_Uᵀ`, `[tokens, d]` → `[tokens, V]`, one vocabulary chunk at a time.
  func unembed(_ hidden: Tensor<Float>, context: ComputeContext) throws -> Tensor<Float> {
    let c = configuration
    let name = c.tieWordEmbeddings ? Qwen2Model.embeddingName : Qwen2Model.unembeddingName
    let shape = [c.vocabularySize, c.hiddenSize]
    var logits = Tensor<Float>(shape: [hidden.shape[0], c.vocabularySize])
    var start = 0
    while start < c.vocabularySize {
      let end = min(c.vocabularySize, start + Qwen2Model.unembeddingChunkRows)
      if let resident = residentUnembedding {
        hidden.linear(
          weight: resident, rows: start..<end, into: &logits, column: start, context: context)
      } else {
        let chunk = try source.tensor(name, shape: shape, rows: start..<end)
        hidden.linear(
          weight: chunk, rows: 0..<(end - start), into: &logits, column: start,
          context: context)
      }
      start = end
    }
    return logits
  }
}

/// What a ``Qwen2Model`` forward returns.
public struct Qwen2Output: Sendable {
  /// `[tokens, V]`.
  public var logits = Tensor<Float>(shape: [0, 0])
  /// `RMSNorm_f(h_L)`, `[tokens, d]` (transformers' `last_hidden_state`).
  public var finalHidden = Tensor<Float>(shape: [0, 0])
  /// `h_0 … h_L`, each `[tokens, d]`, when ``Qwen2Model/Capture/residualStream`` was asked for.
  public var residualStream: [Tensor<Float>] = []
  /// Per layer, the MLP input `[tokens, d]`, when ``Qwen2Model/Capture/mlpActivations`` was asked.
  public var mlpInputs: [Tensor<Float>] = []
  /// Per layer, the MLP output `[tokens, d]`, when ``Qwen2Model/Capture/mlpActivations`` was asked.
  public var mlpOutputs: [Tensor<Float>] = []
}
