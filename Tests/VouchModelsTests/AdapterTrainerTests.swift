import Testing
import VouchEngine
import VouchTestSupport

@testable import VouchModels

/// Adapter training (METHOD §3, §8.4): the schedule's first step at lr 0, the per-step log,
/// learning, bad input, and bitwise determinism across thread counts.
@Suite("Adapter trainer")
struct AdapterTrainerTests {
  /// A Float32 pair (R, an independent B) with METHOD-initialised adapters, and sequences.
  static func setup(featureCount: Int = 32) throws -> (ReplacementModel<Float>, [[Int]]) {
    var configuration = AdapterTestSupport.configuration
    configuration.hiddenSize = 16
    configuration.intermediateSize = 24
    configuration.vocabularySize = 19
    let target = AdapterTestSupport.parameters(configuration, seed: 101, scale: 0.4)
    let base = AdapterTestSupport.parameters(configuration, seed: 102, scale: 0.4)
    let model = try ReplacementModel(
      target: target.converted(to: Float.self), base: base.converted(to: Float.self),
      featureCount: featureCount, seed: 7)
    var generator = SeededGenerator(seed: 103)
    let sequences = (0..<6).map { _ in
      [1] + (0..<11).map { _ in Int.random(in: 0..<19, using: &generator) }
    }
    return (model, sequences)
  }

  /// S = 20 gives W = ⌊0.05·S⌋ = 1: m(0) = 0, m(1) = 1, then the cosine down to m(S) = 0.
  @Test func logsEveryStepAndStartsAtLearningRateZero() throws {
    var (model, sequences) = try Self.setup()
    var configuration = AdapterTrainingConfiguration()
    configuration.steps = 20
    let context = ComputeContext(profile: .exact, threads: 1)
    let log = try AdapterTrainer(configuration: configuration).train(
      &model, on: sequences, context: context)
    #expect(log.map(\.step) == Array(0..<20))
    #expect(log[0].learningRate == 0 && log[1].learningRate == configuration.learningRate)
    #expect(zip(log.dropFirst(), log.dropFirst(2)).allSatisfy { $0.learningRate > $1.learningRate })
    #expect(log.allSatisfy { (0...2).contains($0.terms.cutoff) && $0.gradientNorm > 0 })
    #expect(log.allSatisfy { $0.terms.nmse.count == 3 && $0.terms.activeFeatures.count == 2 })
    #expect(Set(log.map(\.sequence)) == Set(0..<6), "every sequence in the first epoch")
    // W_dec is still 0 before step 1 (step 0 ran at lr 0), so no sparsity until step 2.
    #expect(log[0].terms.totalSparsity == 0 && log[1].terms.totalSparsity == 0)
    #expect(log[2].terms.totalSparsity > 0)
  }

  /// A short run closes part of the hybrid's gap to R on the sequences it sees.
  @Test func trainingReducesTheOutputKL() throws {
    var (model, sequences) = try Self.setup()
    var configuration = AdapterTrainingConfiguration()
    configuration.steps = 60
    configuration.learningRate = 1e-2
    let context = ComputeContext(profile: .exact, threads: 2)
    let before = sequences.map { ids in
      AdapterObjective().evaluate(model, ids: ids, cutoff: 0, context: context).terms
    }
    _ = try AdapterTrainer(configuration: configuration).train(
      &model, on: sequences, context: context)
    let after = sequences.map { ids in
      AdapterObjective().evaluate(model, ids: ids, cutoff: 0, context: context).terms
    }
    let mean = { (terms: [AdapterLossTerms]) in
      terms.map(\.outputKL).reduce(0, +) / Double(terms.count)
    }
    #expect(mean(after) < 0.7 * mean(before), "\(mean(before)) → \(mean(after))")
    let nmse = { (terms: [AdapterLossTerms]) in terms.map(\.meanNMSE).reduce(0, +) }
    #expect(nmse(after) < nmse(before))
  }

  /// Same seed, 1 or 2 threads: bitwise-identical adapters and logs.
  @Test func trainingIsBitwiseIdenticalForOneAndTwoThreads() throws {
    var configuration = AdapterTrainingConfiguration()
    configuration.steps = 8
    configuration.seed = 5
    configuration.learningRate = 1e-2
    let runs = try [1, 2].map { threads -> (ReplacementModel<Float>, [AdapterTrainingStep]) in
      var (model, sequences) = try Self.setup(featureCount: 300)
      let log = try AdapterTrainer(configuration: configuration).train(
        &model, on: sequences, context: ComputeContext(profile: .exact, threads: threads))
      return (model, log)
    }
    #expect(runs[0].1 == runs[1].1)
    #expect(Set(runs[0].1.map(\.terms.cutoff)).count > 1, "cutoffs vary")
    for (one, two) in zip(runs[0].0.adapters, runs[1].0.adapters) {
      for (_, path) in TranscoderAdapter<Float>.namedPaths {
        #expect(one[keyPath: path].isBitwiseEqual(to: two[keyPath: path]))
      }
    }
  }

  /// METHOD §3: a counter per feature, +1 per sequence, reset when the feature fires anywhere.
  @Test func deadFeatureCountsFollowTheSequencesSinceFiring() throws {
    var counter = DeadFeatureCounter(layers: [3, 2])
    for step in 0..<1000 {
      counter.record([[step == 0, step == 950, true], [false, step % 99 == 0]])
    }
    #expect(counter.count(atLeast: 100) == [1, 1])
    #expect(counter.count(atLeast: 1000) == [0, 1])
    var (model, sequences) = try Self.setup()
    model.adapters[0].encoderBias = Tensor(shape: [32], repeating: -100)  // layer 0 never fires
    var configuration = AdapterTrainingConfiguration()
    configuration.steps = 3
    let log = try AdapterTrainer(configuration: configuration).train(
      &model, on: sequences, context: .reference)
    #expect(log.allSatisfy { $0.deadFeatures == [0, 0] && $0.longDeadFeatures == [0, 0] })
    #expect(log.allSatisfy { $0.terms.activeFeatures[0] == 0 })
  }

  @Test(arguments: [[[Int]](), [[1]], [[1, 2, 19]]])
  func badSequencesAreRejected(sequences: [[Int]]) throws {
    var (model, _) = try Self.setup()
    let error = #expect(throws: ModelError.self) {
      try AdapterTrainer(configuration: AdapterTrainingConfiguration()).train(
        &model, on: sequences, context: .reference)
    }
    #expect(error?.code == .malformed)
  }
}
