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
  /// - Returns: one ``AdapterTrainingStep`` per optimiser step, in order.
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
    var dead = DeadFeatureCounter(layers: model.adapters.map(\.featureCount))
    var log: [AdapterTrainingStep] = []
    log.reserveCapacity(totalSteps)
    for step in 0..<totalSteps {
      let sequence = order.next()
      let k = c.objective.sampleCutoff(layerCount: model.layerCount, stream: &cutoffs)
      let evaluation = c.objective.evaluate(
        model, ids: sequences[sequence], cutoff: k, context: context)
      dead.record(evaluation.fired)
      let rate = schedule.learningRate(base: c.learningRate, atStep: step)
      let norm = optimizer.step(evaluation.gradients, model: &model, learningRate: rate)
      log.append(
        AdapterTrainingStep(
          step: step, sequence: sequence, learningRate: rate, gradientNorm: Double(norm),
          terms: evaluation.terms, deadFeatures: dead.count(atLeast: 100),
          longDeadFeatures: dead.count(atLeast: 1000)))
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

/// METHOD §3's dead-feature bookkeeping: per feature, the sequences since it last fired
/// (incremented by the batch size, 1, at every main forward; reset to 0 when it fires anywhere
/// in the sequence).
struct DeadFeatureCounter {
  private var sequencesSinceFiring: [[Int]]

  /// Zero counters for layers of `featureCounts[ℓ]` features each.
  init(layers featureCounts: [Int]) {
    sequencesSinceFiring = featureCounts.map { [Int](repeating: 0, count: $0) }
  }

  /// Advances every counter by one sequence, resetting those of the features that fired.
  mutating func record(_ fired: [[Bool]]) {
    for layer in sequencesSinceFiring.indices {
      for feature in sequencesSinceFiring[layer].indices {
        sequencesSinceFiring[layer][feature] =
          fired[layer][feature] ? 0 : sequencesSinceFiring[layer][feature] + 1
      }
    }
  }

  /// Per layer, the features that have not fired for at least `sequences` sequences.
  func count(atLeast sequences: Int) -> [Int] {
    sequencesSinceFiring.map { $0.filter { $0 >= sequences }.count }
  }
}
