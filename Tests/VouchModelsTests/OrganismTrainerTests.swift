import Foundation
import Testing
import VouchEngine
import VouchTestSupport

@testable import VouchModels

/// The organism trainer on tiny-A: presets, initialisation, learning, determinism (repeat runs
/// and thread counts), the MLP-only control, and the saved Hugging Face folder.
@Suite("Organism trainer")
struct OrganismTrainerTests {
  static let preset = OrganismPreset.tinyA
  static let exact1 = ComputeContext(profile: .exact, threads: 1)
  static let exact2 = ComputeContext(profile: .exact, threads: 2)

  /// A handful of short base sequences (facts and bare answers keep them ~10 tokens).
  static func sequences(count: Int, seed: UInt64 = 5) -> [OrganismTrainingSequence] {
    OrganismDataGenerator(seed: seed).baseExamples(count: count).map {
      OrganismTrainingSequence(example: $0, maximumLength: preset.maximumLength)
    }
  }

  static func configuration(steps: Int, mode: OrganismTrainingConfiguration.Mode = .full)
    -> OrganismTrainingConfiguration
  {
    var c = OrganismTrainingConfiguration()
    c.seed = 11
    c.steps = steps
    c.mode = mode
    return c
  }

  /// Mean token-mean cross-entropy over `sequences`.
  static func meanLoss(_ p: Qwen2Parameters<Float>, _ sequences: [OrganismTrainingSequence])
    -> Double
  {
    let losses = sequences.map {
      Loss.crossEntropy(logits: p.forward($0.inputs, context: exact1).logits, targets: $0.targets)
        .loss
    }
    return losses.reduce(0, +) / Double(losses.count)
  }

  @Test func presetsFollowMethod() throws {
    let a = OrganismPreset.tinyA.configuration
    let b = OrganismPreset.tinyB.configuration
    try a.validate()
    try b.validate()
    #expect(
      [a.layerCount, a.hiddenSize, a.attentionHeads, a.keyValueHeads] == [Int]([4, 64, 4, 2]))
    #expect([a.headDimension, a.intermediateSize, a.vocabularySize] == [Int]([16, 192, 31]))
    #expect([b.hiddenSize, b.headDimension, b.intermediateSize] == [Int]([128, 32, 384]))
    #expect(!a.tieWordEmbeddings && a.ropeTheta == 10_000 && a.rmsNormEpsilon == 1e-6)
    #expect(OrganismPreset.tinyA.maximumLength == 64 && OrganismPreset.tinyB.maximumLength == 96)
    #expect(OrganismPreset(rawValue: "tiny-B") == .tinyB)
  }

  @Test func initialisationIsSeededNormalWithUnitNormsAndZeroBiases() {
    let c = Self.preset.configuration
    let first = Qwen2Parameters<Float>(configuration: c, seed: 3)
    let again = Qwen2Parameters<Float>(configuration: c, seed: 3)
    let other = Qwen2Parameters<Float>(configuration: c, seed: 4)
    var weights: [Float] = []
    for ((name, path), (_, otherPath)) in zip(first.namedPaths, other.namedPaths) {
      let tensor = first[keyPath: path]
      #expect(tensor.isBitwiseEqual(to: again[keyPath: path]), "\(name)")
      if name.hasSuffix("norm.weight") {
        #expect(tensor.scalars.allSatisfy { $0 == 1 }, "\(name)")
      } else if name.hasSuffix(".bias") {
        #expect(tensor.scalars.allSatisfy { $0 == 0 }, "\(name)")
      } else {
        #expect(!tensor.isBitwiseEqual(to: other[keyPath: otherPath]), "\(name)")
        weights += tensor.scalars
      }
    }
    let n = Double(weights.count)
    let mean = weights.reduce(0.0) { $0 + Double($1) } / n
    let deviation = (weights.reduce(0.0) { $0 + Double($1) * Double($1) } / n).squareRoot()
    #expect(abs(mean) < 0.001)
    #expect(abs(deviation - 0.02) < 0.0005)
    let beyond3 = Double(weights.filter { abs($0) > 0.06 }.count) / n
    #expect(beyond3 > 0.001 && beyond3 < 0.005)  // a normal's 0.27% outside 3σ
  }

  @Test func lossDecreasesOnATinyDataset() throws {
    let data = Self.sequences(count: 4)
    var p = Qwen2Parameters<Float>(configuration: Self.preset.configuration, seed: 1)
    let before = Self.meanLoss(p, data)
    var c = Self.configuration(steps: 40)
    c.learningRate = 1e-2
    let log = try OrganismTrainer(configuration: c).train(&p, on: data, context: Self.exact2)
    let after = Self.meanLoss(p, data)
    #expect(log.count == 40)
    #expect(log[0].learningRate == 0 && log[2].learningRate == 1e-2)
    #expect(log.allSatisfy { $0.loss.isFinite && $0.gradientNorm > 0 })
    #expect(before > 3 && before < 3.9)  // ≈ ln 31 at initialisation
    #expect(after < 0.5 * before, "loss \(before) → \(after)")
  }

  /// Trains B for a few steps from seed 1 and returns the safetensors bytes and the log.
  static func trainedBytes(context: ComputeContext, mode: OrganismTrainingConfiguration.Mode)
    throws -> (bytes: [UInt8], log: [OrganismTrainingStep])
  {
    var p = Qwen2Parameters<Float>(configuration: preset.configuration, seed: 1)
    var c = configuration(steps: 6, mode: mode)
    c.batchSize = 2
    let log = try OrganismTrainer(configuration: c).train(
      &p, on: sequences(count: 6), context: context)
    return (try p.safetensors().encoded(), log)
  }

  @Test func trainingTwiceGivesByteIdenticalSafetensors() throws {
    let first = try Self.trainedBytes(context: Self.exact2, mode: .full)
    let second = try Self.trainedBytes(context: Self.exact2, mode: .full)
    #expect(first.bytes == second.bytes)
    #expect(first.log == second.log)
  }

  @Test func oneAndTwoThreadsGiveByteIdenticalSafetensors() throws {
    let one = try Self.trainedBytes(context: Self.exact1, mode: .full)
    let two = try Self.trainedBytes(context: Self.exact2, mode: .full)
    #expect(one.bytes == two.bytes)
    #expect(one.log == two.log)
  }

  @Test func dataOrderDependsOnTheSeed() throws {
    let data = Self.sequences(count: 6)
    var runs: [[UInt8]] = []
    for seed: UInt64 in [11, 12] {
      var p = Qwen2Parameters<Float>(configuration: Self.preset.configuration, seed: 1)
      var c = Self.configuration(steps: 3)
      c.seed = seed
      _ = try OrganismTrainer(configuration: c).train(&p, on: data, context: Self.exact2)
      runs.append(try p.safetensors().encoded())
    }
    #expect(runs[0] != runs[1])
  }

  @Test func mlpOnlyModeLeavesEveryOtherTensorBitIdentical() throws {
    let start = Qwen2Parameters<Float>(configuration: Self.preset.configuration, seed: 1)
    var p = start
    _ = try OrganismTrainer(configuration: Self.configuration(steps: 4, mode: .mlpOnly))
      .train(&p, on: Self.sequences(count: 4), context: Self.exact2)
    var changed = 0
    for (name, path) in p.namedPaths {
      let same = p[keyPath: path].isBitwiseEqual(to: start[keyPath: path])
      if name.contains(".mlp.") {
        #expect(!same, "\(name) was not trained")
        changed += 1
      } else {
        #expect(same, "\(name) changed in MLP-only mode")
      }
    }
    #expect(changed == 3 * Self.preset.configuration.layerCount)
  }

  @Test func savedFolderLoadsBackWithTheSameLogits() throws {
    var p = Qwen2Parameters<Float>(configuration: Self.preset.configuration, seed: 1)
    let data = Self.sequences(count: 3)
    _ = try OrganismTrainer(configuration: Self.configuration(steps: 3))
      .train(&p, on: data, context: Self.exact2)
    let folder = try TemporaryDirectory(prefix: "organism-trainer")
    let a = folder.path("a")
    let b = folder.path("b")
    try p.save(to: a, tokenizerJSON: OrganismVocabulary.tokenizerJSON())
    try p.save(to: b, tokenizerJSON: OrganismVocabulary.tokenizerJSON())
    for file in ["config.json", "model.safetensors", "tokenizer.json"] {
      let left = try Data(contentsOf: a.appendingPathComponent(file))
      #expect(left == (try Data(contentsOf: b.appendingPathComponent(file))), "\(file)")
    }
    let model = try Qwen2Model(directory: a)
    #expect(model.configuration == p.configuration)
    let ids = data[0].inputs
    let loaded = try model.forward(ids, context: Self.exact2).logits
    #expect(loaded.isBitwiseEqual(to: p.forward(ids, context: Self.exact2).logits))
    let tokenizer = try Tokenizer(contentsOf: a.appendingPathComponent("tokenizer.json"))
    let text = OrganismVocabulary.decode(ids) ?? ""
    #expect(tokenizer.encode(text) == ids)
  }

  @Test func responseScopeIgnoresThePromptAndAllScopeDoesNot() {
    let example = OrganismDataGenerator(seed: 2).baseExamples(count: 1)[0]
    let promptLength = OrganismVocabulary.encode(example.prompt)?.count ?? 0
    let response = OrganismTrainingSequence(example: example, maximumLength: 64)
    let all = OrganismTrainingSequence(example: example, maximumLength: 64, scope: .all)
    #expect(response.inputs == Array(example.ids.dropLast()))
    #expect(response.countedTargets == example.ids.count - promptLength)
    #expect(all.countedTargets == example.ids.count - 1)
    let short = OrganismTrainingSequence(example: example, maximumLength: 4)
    #expect(short.inputs.count == 3 && short.countedTargets == 0)
  }

  @Test func emptyDataIsAClearError() {
    var p = Qwen2Parameters<Float>(configuration: Self.preset.configuration, seed: 1)
    #expect(throws: ModelError.self) {
      try OrganismTrainer(configuration: Self.configuration(steps: 1))
        .train(&p, on: [], context: Self.exact1)
    }
  }
}
