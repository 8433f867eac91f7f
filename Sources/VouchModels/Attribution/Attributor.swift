// RelP attribution on a replacement model (METHOD.md §6.4): one normal forward, then one
// linearised backward per target row.
import VouchEngine

/// The forward of one prompt through a replacement model, and the rows of its attribution graph.
///
/// The forward is the model's normal forward (``ReplacementModel/forward(_:blocks:context:)``
/// with every block `.replacement`); only the backward is linearised
/// (``ReplacementModel/linearisedBackward(_:block:entry:context:)``).
public struct Attributor<Scalar: TensorScalar>: Sendable {
  /// The model.
  public let model: ReplacementModel<Scalar>
  /// The prompt's token ids, `T` of them, BOS first.
  public let ids: [Int]
  /// The normal forward's trace (states `h_0 … h_L`, every block's activations).
  public let trace: ReplacementModel<Scalar>.Trace
  /// The normal forward's logits, `[T, V]`.
  public let logits: Tensor<Scalar>
  /// `RMSNorm_f(h_L)`, `[T, d]`: the state logit targets are injected at.
  public let finalNormalized: Tensor<Scalar>
  /// Every active feature (`f > 0`), canonical order, BOS position included.
  public let active: [FeatureAddress]
  /// Their activations `f`, in `active`'s order.
  public let activations: [Double]
  /// Position of each address in `active`.
  public let activeIndex: [FeatureAddress: Int]
  /// Profile and threads.
  public let context: ComputeContext

  /// Runs the normal forward of `ids` with every adapter on.
  /// - Throws: `ModelError(.mismatch)` for an empty prompt, an id outside the vocabulary, a
  ///   prompt longer than the position limit, or a model whose adapters are switched off or
  ///   masked (attribution needs the full replacement model).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(model: ReplacementModel<Scalar>, ids: [Int], context: ComputeContext) throws {
    let c = model.configuration
    guard !ids.isEmpty else {
      throw ModelError(.mismatch, "the prompt is empty; give at least one token")
    }
    guard ids.count <= c.positionLimit else {
      throw ModelError(
        .mismatch,
        "the prompt has \(ids.count) tokens, more than the model's max_position_embeddings "
          + "\(c.positionLimit); shorten it")
    }
    if let bad = ids.first(where: { !(0..<c.vocabularySize).contains($0) }) {
      throw ModelError(
        .mismatch, "token id \(bad) is outside the vocabulary 0..<\(c.vocabularySize)")
    }
    guard model.adapterEnabled.allSatisfy({ $0 }), model.featureMasks.allSatisfy({ $0 == nil })
    else {
      throw ModelError(
        .mismatch, "attribution needs every adapter on and unmasked; enable all layers")
    }
    let blocks = [ReplacementModel<Scalar>.Block](repeating: .replacement, count: c.layerCount)
    let (trace, logits) = model.forward(ids, blocks: blocks, context: context)
    self.model = model
    self.ids = ids
    self.trace = trace
    self.logits = logits
    self.context = context
    finalNormalized = model.target.finalNormalized(trace.output)
    var active: [FeatureAddress] = []
    var activations: [Double] = []
    for (layer, block) in trace.blocks.enumerated() {
      guard let features = block.adapter?.features else { continue }
      let width = features.shape[1]
      features.withUnsafeBufferPointer { f in
        for position in 0..<ids.count {
          for index in 0..<width where f[position * width + index] > 0 {
            active.append(FeatureAddress(layer: layer, position: position, index: index))
            activations.append(Double(f[position * width + index]))
          }
        }
      }
    }
    self.active = active
    self.activations = activations
    activeIndex = Dictionary(uniqueKeysWithValues: active.enumerated().map { ($1, $0) })
  }

  /// `T`.
  public var tokenCount: Int { ids.count }

  /// The softmax probabilities of the last position over the whole vocabulary, in `Double`.
  public func lastPositionProbabilities() -> [Double] {
    let vocabulary = model.configuration.vocabularySize
    let row = logits.rows((tokenCount - 1)..<tokenCount).scalars.map { Double($0) }
    let top = row.max() ?? 0
    let exponentials = row.map { Double.exponential($0 - top) }
    let sum = exponentials.reduce(0, +)
    precondition(exponentials.count == vocabulary, "logits row")
    return exponentials.map { $0 / sum }
  }

  /// METHOD.md §6.4's logit targets: token ids sorted by probability (ties to the lower id),
  /// taken until the cumulative probability is `≥ probability` (inclusive) or `maxCount` ids.
  /// - Returns: `(token, probability)` pairs, most probable first.
  public func logitTargets(maxCount: Int, probability: Double) -> [(
    token: Int, probability: Double
  )] {
    let probabilities = lastPositionProbabilities()
    let order = probabilities.indices.sorted {
      probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1
    }
    var chosen: [(token: Int, probability: Double)] = []
    var cumulative = 0.0
    for token in order.prefix(maxCount) {
      chosen.append((token, probabilities[token]))
      cumulative += probabilities[token]
      if cumulative >= probability { break }
    }
    return chosen
  }

  /// `w_v − (1/V) Σ_{v'} w_{v'}`, the de-meaned row `token` of `lm_head`, `[d]`. The mean is
  /// accumulated in `Double` over the rows in order and rounded to `Scalar` once.
  public func demeanedUnembedding(_ token: Int) -> [Scalar] {
    let head = model.target.head
    let (vocabulary, width) = (head.shape[0], head.shape[1])
    return head.withUnsafeBufferPointer { w in
      var mean = [Double](repeating: 0, count: width)
      for row in 0..<vocabulary {
        for column in 0..<width { mean[column] += Double(w[row * width + column]) }
      }
      return (0..<width).map { w[token * width + $0] - Scalar(mean[$0] / Double(vocabulary)) }
    }
  }
}
