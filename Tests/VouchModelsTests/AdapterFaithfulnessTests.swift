import Testing
import VouchEngine
import VouchTestSupport

@testable import VouchModels

/// Faithfulness (METHOD §5.1) after a short adapter training run on a tiny pair.
@Suite("Adapter faithfulness")
struct AdapterFaithfulnessTests {
  let context = ComputeContext(profile: .exact, threads: 2)

  @Test func shortTrainingRunClosesPartOfTheHybridsGap() throws {
    var (model, sequences) = try AdapterTrainerTests.setup()
    let base = AdapterTestSupport.parameters(model.configuration, seed: 102, scale: 0.4)
      .converted(to: Float.self)
    let (training, validation) = (Array(sequences[..<4]), Array(sequences[4...]))
    let before = try AdapterFaithfulness.measure(
      model, base: base, sequences: validation, context: context)
    var configuration = AdapterTrainingConfiguration()
    configuration.steps = 60
    configuration.learningRate = 1e-2
    _ = try AdapterTrainer(configuration: configuration).train(
      &model, on: training, context: context)
    let after = try AdapterFaithfulness.measure(
      model, base: base, sequences: validation, context: context)

    // At init the replacement is the hybrid; training closes part of the gap.
    #expect(before.replacementKL == before.hybridKL)
    #expect(after.hybridKL == before.hybridKL && after.baseKL == before.baseKL)
    #expect(after.replacementKL < after.hybridKL)
    #expect((after.fractionOfKLClosed ?? 0) > 0.2, "\(after)")
    #expect(after.baseKL > 0 && after.nmse[0] == 0 && after.nmse.count == 3)
    // Edge partial replacements: none replaced is R (KL 0), all replaced is the replacement.
    #expect(after.firstKL[0] == 0 && after.lastKL[0] == 0)
    #expect(after.firstKL[2] == after.replacementKL && after.lastKL[2] == after.replacementKL)
    #expect(after.singleLayerKL.count == 2 && after.singleLayerKL.allSatisfy { $0 > 0 })
    // One layer of two: single-layer replacements are the first-1 and last-1 ones.
    #expect(after.singleLayerKL[0] == after.firstKL[1])
    #expect(after.singleLayerKL[1] == after.lastKL[1])
  }

  /// The macro-average: each sequence weighs the same, whatever its length.
  @Test func averagesPerSequenceValues() throws {
    let (model, sequences) = try AdapterTrainerTests.setup()
    let base = model.target
    let short = [Array(sequences[0].prefix(3)), sequences[1]]
    let both = try AdapterFaithfulness.measure(
      model, base: base, sequences: short, context: context)
    let each = try short.map {
      try AdapterFaithfulness.measure(model, base: base, sequences: [$0], context: context)
    }
    #expect(both.sequenceCount == 2)
    #expect(abs(both.hybridKL - (each[0].hybridKL + each[1].hybridKL) / 2) <= 1e-12)
    #expect(both.baseKL == 0, "B = R here")
  }

  @Test(arguments: [[[Int]](), [[3]], [[1, 40]]])
  func badSequencesAreRejected(sequences: [[Int]]) throws {
    let (model, _) = try AdapterTrainerTests.setup()
    #expect(throws: ModelError.self) {
      try AdapterFaithfulness.measure(
        model, base: model.target, sequences: sequences, context: context)
    }
  }
}

extension AdapterFaithfulnessTests {
  /// On the organism (tiny-A shape, its vocabulary and adapter data): R is B after a short
  /// MLP-only fine-tune on reasoning traces (METHOD §8.3's control, where the hybrid is B), and a
  /// short adapter run on the adapter-training split closes part of the KL on the validation
  /// split.
  @Test func organismControlPairAfterAShortAdapterRun() throws {
    let preset = OrganismPreset.tinyA
    let base = Qwen2Parameters<Float>(configuration: preset.configuration, seed: 21)
    let generator = OrganismDataGenerator(seed: 22)
    let traces = generator.reasoningExamples(count: 8).map {
      OrganismTrainingSequence(example: $0, maximumLength: 32)
    }
    var fineTune = OrganismTrainingConfiguration()
    fineTune.mode = .mlpOnly
    fineTune.steps = 8
    fineTune.learningRate = 3e-3
    var target = base
    _ = try OrganismTrainer(configuration: fineTune).train(&target, on: traces, context: context)
    var model = try ReplacementModel(target: target, base: base, featureCount: 64, seed: 23)
    let data = generator.adapterSequences(count: 12, maximumLength: 24)
    var configuration = AdapterTrainingConfiguration()
    configuration.steps = 20
    configuration.learningRate = 5e-3
    let log = try AdapterTrainer(configuration: configuration).train(
      &model, on: data.train, context: context)
    let result = try AdapterFaithfulness.measure(
      model, base: base, sequences: data.validation, context: context)
    #expect(log.count == 20 && result.sequenceCount == data.validation.count)
    #expect(result.hybridKL == result.baseKL, "MLP-only control: the hybrid is B")
    #expect(result.hybridKL > 0 && (result.fractionOfKLClosed ?? 0) > 0.5, "\(result)")
  }
}
