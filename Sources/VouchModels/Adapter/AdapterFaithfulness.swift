// Faithfulness of a trained replacement model (METHOD.md §5.1): output KL of the replacement,
// hybrid and base models against R, internal NMSE per state, and partial replacements.
import VouchEngine

/// How closely a replacement model follows R on a set of sequences (METHOD §5.1).
///
/// Every KL is `KL(p_R ‖ q_M)` over the `T − 1` predicting positions of a sequence (METHOD
/// §2.1), then averaged over sequences with equal weight (the released validation's
/// macro-average). Partial replacements (a)–(c) of §5.1: `firstKL[k]` runs replacement blocks
/// `0..<k` then R's (= a2r(k)), `lastKL[k]` runs R's blocks then replacement blocks
/// `L−k..<L` (= r2a(L−k)), `singleLayerKL[ℓ]` replaces block `ℓ` alone. Replacement blocks use
/// the model's adapter switches and masks.
public struct AdapterFaithfulness: Hashable, Sendable, Codable {
  /// Sequences measured.
  public var sequenceCount: Int
  /// `KL(p_R ‖ q_replacement)`, nats.
  public var replacementKL: Double
  /// `KL(p_R ‖ q_hybrid)` (every adapter off), nats.
  public var hybridKL: Double
  /// `KL(p_R ‖ q_B)`, nats.
  public var baseKL: Double
  /// `NMSE_ℓ` of the replacement's residual states against R's, `ℓ = 0 … L`.
  public var nmse: [Double]
  /// First-`k` partial replacement KL, `k = 0 … L` (`k = 0` is R itself, `k = L` the full
  /// replacement).
  public var firstKL: [Double]
  /// Last-`k` partial replacement KL, `k = 0 … L`.
  public var lastKL: [Double]
  /// Single-layer replacement KL, one per layer.
  public var singleLayerKL: [Double]

  /// `1 − KL_replacement / KL_hybrid`: the share of the hybrid's divergence the adapters close
  /// (`nil` when the hybrid's KL is 0).
  public var fractionOfKLClosed: Double? {
    hybridKL > 0 ? 1 - replacementKL / hybridKL : nil
  }

  /// Measures `model` (R, B's MLPs, adapters) and `base` (the whole of B) on `sequences`.
  /// - Parameters:
  ///   - model: the replacement model.
  ///   - base: B, for `KL(p_R ‖ q_B)`; the architecture of `model`.
  ///   - sequences: at least one sequence of at least 2 ids in the vocabulary.
  ///   - context: profile and threads.
  /// - Returns: the per-sequence values averaged over `sequences`.
  /// - Throws: `ModelError(.malformed)` for no sequences, a short one or an id outside the
  ///   vocabulary; `ModelError(.mismatch)` when `base` has another architecture.
  public static func measure(
    _ model: ReplacementModel<Float>, base: Qwen2Parameters<Float>, sequences: [[Int]],
    context: ComputeContext
  ) throws -> AdapterFaithfulness {
    try validate(model, base: base, sequences: sequences)
    let layers = model.layerCount
    var hybrid = model
    hybrid.adapterEnabled = Array(repeating: false, count: layers)
    var sums = AdapterFaithfulness(
      sequenceCount: sequences.count, replacementKL: 0, hybridKL: 0, baseKL: 0,
      nmse: Array(repeating: 0, count: layers + 1), firstKL: Array(repeating: 0, count: layers + 1),
      lastKL: Array(repeating: 0, count: layers + 1),
      singleLayerKL: Array(repeating: 0, count: layers))
    for ids in sequences {
      let one = measureOne(model, hybrid: hybrid, base: base, ids: ids, context: context)
      sums.add(one)
    }
    return sums.scaled(by: 1 / Double(sequences.count))
  }

  /// One sequence's values (``measure(_:base:sequences:context:)`` averages them).
  static func measureOne(
    _ model: ReplacementModel<Float>, hybrid: ReplacementModel<Float>,
    base: Qwen2Parameters<Float>, ids: [Int], context: ComputeContext
  ) -> AdapterFaithfulness {
    typealias Block = ReplacementModel<Float>.Block
    let layers = model.layerCount
    let positions = ids.count - 1
    let target = model.forward(
      ids, blocks: Array(repeating: .target, count: layers), context: context)
    let targetLogits = target.logits.rows(0..<positions)
    func divergence(_ logits: Tensor<Float>) -> Double {
      Loss.tokenKL(targetLogits: targetLogits, modelLogits: logits.rows(0..<positions)).loss
    }
    func tail(from state: Tensor<Float>, start: Int, _ blocks: [Block]) -> Double {
      let trace = model.run(from: state, start: start, blocks: blocks, context: context)
      return divergence(model.logits(trace.output, context: context))
    }
    let replacementBlocks = [Block](repeating: .replacement, count: layers)
    let replacement = model.forward(ids, blocks: replacementBlocks, context: context)
    let hybridLogits = hybrid.forward(ids, blocks: replacementBlocks, context: context).logits
    let baseLogits = base.forward(ids, context: context).logits
    let nmse = (0...layers).map {
      AdapterLoss.normalizedSquaredError(
        model: replacement.trace.states[$0], target: target.trace.states[$0]
      ).value
    }
    let first = (0...layers).map { k in
      tail(
        from: replacement.trace.states[k], start: k,
        [Block](repeating: .target, count: layers - k))
    }
    let last = (0...layers).map { k in
      tail(
        from: target.trace.states[layers - k], start: layers - k,
        [Block](repeating: .replacement, count: k))
    }
    let single = (0..<layers).map { layer in
      tail(
        from: target.trace.states[layer], start: layer,
        [.replacement] + [Block](repeating: .target, count: layers - layer - 1))
    }
    return AdapterFaithfulness(
      sequenceCount: 1, replacementKL: divergence(replacement.logits),
      hybridKL: divergence(hybridLogits), baseKL: divergence(baseLogits), nmse: nmse,
      firstKL: first, lastKL: last, singleLayerKL: single)
  }

  /// Adds `other`'s values to these, elementwise.
  mutating func add(_ other: AdapterFaithfulness) {
    replacementKL += other.replacementKL
    hybridKL += other.hybridKL
    baseKL += other.baseKL
    nmse = zip(nmse, other.nmse).map(+)
    firstKL = zip(firstKL, other.firstKL).map(+)
    lastKL = zip(lastKL, other.lastKL).map(+)
    singleLayerKL = zip(singleLayerKL, other.singleLayerKL).map(+)
  }

  /// Every value multiplied by `factor` (the sequence count is kept).
  func scaled(by factor: Double) -> AdapterFaithfulness {
    var result = self
    result.replacementKL *= factor
    result.hybridKL *= factor
    result.baseKL *= factor
    result.nmse = nmse.map { $0 * factor }
    result.firstKL = firstKL.map { $0 * factor }
    result.lastKL = lastKL.map { $0 * factor }
    result.singleLayerKL = singleLayerKL.map { $0 * factor }
    return result
  }

  /// Rejects input the measurement cannot run on, with a one-line fix.
  private static func validate(
    _ model: ReplacementModel<Float>, base: Qwen2Parameters<Float>, sequences: [[Int]]
  ) throws {
    guard base.configuration.sharesArchitecture(with: model.configuration) else {
      throw ModelError(
        .mismatch, "the base model's architecture differs from the replacement model's; pass B")
    }
    guard !sequences.isEmpty else {
      throw ModelError(.malformed, "no sequences to measure faithfulness on; pass validation data")
    }
    let vocabulary = model.configuration.vocabularySize
    for (index, ids) in sequences.enumerated() {
      guard ids.count >= 2, ids.allSatisfy({ (0..<vocabulary).contains($0) }) else {
        throw ModelError(
          .malformed,
          "faithfulness sequence \(index) is shorter than 2 tokens or holds an id outside the "
            + "vocabulary of \(vocabulary); encode it with the model's tokenizer")
      }
    }
  }
}
