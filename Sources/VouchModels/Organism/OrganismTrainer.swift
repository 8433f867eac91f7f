// Next-token training of the organism's models: B from scratch, R as a fine-tune of B, and the
// MLP-only control, all deterministic under the exact profile whatever the thread count.
import VouchEngine

/// Trains a `Qwen2Parameters<Float>` on organism sequences with AdamW, METHOD §3's warm-up +
/// cosine schedule and global-norm clipping.
///
/// One optimiser step: take the next ``OrganismTrainingConfiguration/batchSize`` sequences of the
/// data order, run the training forward and backward of each, average the trained tensors'
/// gradients over the batch, clip them to a global norm of 1.0, and update each trained tensor
/// with `AdamW` at `lr · m(step)`. The data order is a Fisher–Yates shuffle of the sequence
/// indices per epoch, drawn from `RandomStream(seed:, purpose: "data-order")`, one stream across
/// epochs. Every reduction runs in a fixed order, so with the exact profile the result is a pure
/// function of (initial parameters, sequences, configuration). With a batch of several sequences
/// and several threads, the sequences' forward/backward passes run on separate threads (see
/// ``batchGradients(_:batch:paths:context:)``); the sum is still taken in data order.
public struct OrganismTrainer: Sendable {
  /// The run's knobs.
  public var configuration: OrganismTrainingConfiguration

  /// A trainer with `configuration`.
  public init(configuration: OrganismTrainingConfiguration) {
    self.configuration = configuration
  }

  /// The checkpoint names and key paths of the tensors the optimiser updates, in
  /// ``Qwen2Parameters/namedPaths`` order.
  public static func trainedPaths(
    of parameters: Qwen2Parameters<Float>, mode: OrganismTrainingConfiguration.Mode
  ) -> [(String, WritableKeyPath<Qwen2Parameters<Float>, Tensor<Float>>)] {
    switch mode {
    case .full: parameters.namedPaths
    case .mlpOnly: parameters.namedPaths.filter { $0.0.contains(".mlp.") }
    }
  }

  /// Trains `parameters` in place on `sequences` and returns one log entry per optimiser step.
  /// - Throws: `ModelError(.malformed)` when there are no sequences, the batch size is not
  ///   positive, or a token id lies outside the model's vocabulary.
  public func train(
    _ parameters: inout Qwen2Parameters<Float>, on sequences: [OrganismTrainingSequence],
    context: ComputeContext
  ) throws -> [OrganismTrainingStep] {
    let c = configuration
    try validate(sequences, vocabulary: parameters.configuration.vocabularySize)
    let totalSteps = c.totalSteps(sequenceCount: sequences.count)
    let schedule = WarmupCosineSchedule(totalSteps: totalSteps)
    let optimizer = AdamW<Float>(weightDecay: c.weightDecay)
    let paths = Self.trainedPaths(of: parameters, mode: c.mode).map(\.1)
    var states = paths.map { optimizer.makeState(for: parameters[keyPath: $0]) }
    var order = DataOrder(count: sequences.count, seed: c.seed)
    var log: [OrganismTrainingStep] = []
    log.reserveCapacity(totalSteps)
    for step in 0..<totalSteps {
      let batch = (0..<c.batchSize).map { _ in sequences[order.next()] }
      var (gradients, lossSum) = Self.batchGradients(
        parameters, batch: batch, paths: paths, context: context)
      if c.batchSize > 1 {
        let share = 1 / Float(c.batchSize)
        gradients = gradients.map { $0.scaled(by: share) }
      }
      let norm = GradientClipping.clipGlobalNorm(&gradients, maxNorm: c.maximumGradientNorm)
      let rate = schedule.learningRate(base: c.learningRate, atStep: step)
      for (index, path) in paths.enumerated() {
        optimizer.update(
          &parameters[keyPath: path], gradient: gradients[index], state: &states[index],
          learningRate: rate)
      }
      log.append(
        OrganismTrainingStep(
          step: step, loss: lossSum / Double(c.batchSize), learningRate: rate,
          gradientNorm: Double(norm)))
    }
    return log
  }

  /// Rejects input the training loop cannot run on, with a one-line fix.
  private func validate(_ sequences: [OrganismTrainingSequence], vocabulary: Int) throws {
    guard !sequences.isEmpty else {
      throw ModelError(.malformed, "no training sequences; generate organism data first")
    }
    guard configuration.batchSize > 0, configuration.epochs >= 0, (configuration.steps ?? 0) >= 0
    else {
      throw ModelError(.malformed, "batch size must be positive and epochs/steps non-negative")
    }
    for (index, sequence) in sequences.enumerated() {
      guard !sequence.inputs.isEmpty else {
        throw ModelError(.malformed, "training sequence \(index) has fewer than 2 tokens")
      }
      let ids = sequence.inputs + sequence.targets.filter { $0 != Loss.ignoredTarget }
      if let bad = ids.first(where: { $0 < 0 || $0 >= vocabulary }) {
        throw ModelError(
          .malformed,
          "training sequence \(index) holds id \(bad), outside the model's vocabulary of "
            + "\(vocabulary); encode it with the model's tokenizer")
      }
    }
  }
}

/// The trainer's sequence order: per epoch, a Fisher–Yates shuffle of `0..<count` drawn from
/// `RandomStream(seed:, purpose: "data-order")` (index `i` from the top swaps with
/// `next() % (i + 1)`), one stream across epochs.
struct DataOrder {
  private let count: Int
  private var stream: RandomStream
  private var permutation: [Int] = []
  private var position = 0

  init(count: Int, seed: UInt64) {
    self.count = count
    stream = RandomStream(seed: seed, purpose: "data-order")
  }

  /// The next sequence index, starting a new shuffled epoch when the current one is used up.
  mutating func next() -> Int {
    if position == permutation.count {
      permutation = Array(0..<count)
      for index in stride(from: count - 1, to: 0, by: -1) {
        let other = Int(stream.next() % UInt64(index + 1))
        permutation.swapAt(index, other)
      }
      position = 0
    }
    defer { position += 1 }
    return permutation[position]
  }
}
