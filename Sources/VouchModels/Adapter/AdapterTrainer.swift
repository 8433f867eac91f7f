// Adapter training (METHOD.md §3, §8.4): batch 1, one sampled cutoff per step, Adam on the
// adapters only, warm-up + cosine schedule with the first step at lr 0, clipping at 1.0.
import VouchEngine

/// Trains the adapters of a `ReplacementModel<Float>` on token sequences.
///
/// Step `s`: take the next sequence of the data order (a Fisher–Yates shuffle per epoch from
/// `RandomStream(seed:, purpose: "data-order")`, as ``OrganismTrainer``), draw `k` from
/// `RandomStream(seed:, purpose: "bridging-cutoff")` (value `s` of the stream), evaluate the
/// objective and its gradients, clip to a global norm of 1.0 and take an Adam step at
/// `lr · m(s)` (``WarmupCosineSchedule``, `W = ⌊0.05·S⌋`). Every reduction has a fixed order, so
/// under the exact profile the result is a pure function of (model, sequences, configuration),
/// whatever the thread count.
public struct AdapterTrainer: Sendable {
  /// The run's knobs.
  public var configuration: AdapterTrainingConfiguration

  /// A trainer with `configuration`.
  public init(configuration: AdapterTrainingConfiguration) {
    self.configuration = configuration
  }

  /// Trains `model.adapters` in place on `sequences` and returns one log entry per step.
  /// - Parameters:
  ///   - model: R, B and the adapters to train (usually freshly initialised).
  ///   - sequences: token sequences of at least 2 ids each (loss on every position).
  ///   - context: profile and threads.
  /// - Throws: `ModelError(.malformed)` when there are no sequences, one is shorter than 2
  ///   tokens, an id lies outside the vocabulary, or the step counts are negative.
  public func train(
    _ model: inout ReplacementModel<Float>, on sequences: [[Int]], context: ComputeContext
  ) throws -> [AdapterTrainingStep] {
    let c = configuration
    try validate(sequences, vocabulary: model.configuration.vocabularySize)
    let totalSteps = c.totalSteps(sequenceCount: sequences.count)
    let schedule = WarmupCosineSchedule(totalSteps: totalSteps)
    var optimizer = AdapterOptimizer(for: model, maximumGradientNorm: c.maximumGradientNorm)
    var order = DataOrder(count: sequences.count, seed: c.seed)
    var cutoffs = RandomStream(seed: c.seed, purpose: "bridging-cutoff")
    var log: [AdapterTrainingStep] = []
    log.reserveCapacity(totalSteps)
    for step in 0..<totalSteps {
      let sequence = order.next()
      let k = c.objective.sampleCutoff(layerCount: model.layerCount, stream: &cutoffs)
      let (terms, gradients) = c.objective.evaluate(
        model, ids: sequences[sequence], cutoff: k, context: context)
      let rate = schedule.learningRate(base: c.learningRate, atStep: step)
      let norm = optimizer.step(gradients, model: &model, learningRate: rate)
      log.append(
        AdapterTrainingStep(
          step: step, sequence: sequence, learningRate: rate, gradientNorm: Double(norm),
          terms: terms))
    }
    return log
  }

  /// Rejects input the loop cannot run on, with a one-line fix.
  private func validate(_ sequences: [[Int]], vocabulary: Int) throws {
    guard !sequences.isEmpty else {
      throw ModelError(.malformed, "no adapter training sequences; generate organism data first")
    }
    guard configuration.epochs >= 0, (configuration.steps ?? 0) >= 0 else {
      throw ModelError(.malformed, "adapter training epochs and steps must be non-negative")
    }
    for (index, ids) in sequences.enumerated() {
      guard ids.count >= 2 else {
        throw ModelError(
          .malformed, "adapter training sequence \(index) has fewer than 2 tokens; drop it")
      }
      if let bad = ids.first(where: { $0 < 0 || $0 >= vocabulary }) {
        throw ModelError(
          .malformed,
          "adapter training sequence \(index) holds id \(bad), outside the model's vocabulary "
            + "of \(vocabulary); encode it with the model's tokenizer")
      }
    }
  }
}
