import Testing
import VouchEngine
import VouchTestSupport

@testable import VouchModels

/// Generation's models (hybrid, replacement, ablations, additions, steering) are the inference
/// stack with swapped MLPs and adapter branches; they must compute what the training stack's
/// ReplacementModel computes.
@Suite struct AdapterModelsTests {
  /// The tiny random pair and adapters as Float32, both stacks.
  static func models(seed: UInt64) throws -> (AdapterModels, ReplacementModel<Float>) {
    let reference = try AdapterTestSupport.model(seed: seed)
    let target = reference.target.converted(to: Float.self)
    let base = try AdapterTestSupport.parameters(seed: seed &+ 1).converted(to: Float.self)
    let adapters = reference.adapters.map { $0.converted(to: Float.self) }
    let c = target.configuration
    func load(_ parameters: Qwen2Parameters<Float>) throws -> Qwen2Model {
      try Qwen2Model(configuration: c, weights: parameters.inMemoryWeights(), residency: .resident)
    }
    let models = try AdapterModels(target: load(target), base: load(base), adapters: adapters)
    return (models, try ReplacementModel(target: target, base: base, adapters: adapters))
  }

  static let context = ComputeContext(profile: .exact, threads: 1)

  static func maxDifference(_ a: Tensor<Float>, _ b: Tensor<Float>) -> Float {
    zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? .infinity
  }

  @Test func replacementAndHybridMatchTheTrainingStack() throws {
    let (models, reference) = try Self.models(seed: 41)
    let ids = AdapterTestSupport.ids
    let blocks = [ReplacementModel<Float>.Block](repeating: .replacement, count: 2)
    let expected = reference.forward(ids, blocks: blocks, context: Self.context).logits
    let replacement = try models.replacement().forward(ids, context: Self.context).logits
    // One layer stack: the inference model with adapter branches runs the very blocks the
    // training stack runs, so the logits agree bit for bit.
    #expect(Self.maxDifference(replacement, expected) == 0)

    var off = reference
    off.adapterEnabled = [false, false]
    let hybridExpected = off.forward(ids, blocks: blocks, context: Self.context).logits
    let hybrid = try models.hybrid.forward(ids, context: Self.context).logits
    #expect(Self.maxDifference(hybrid, hybridExpected) == 0)
    #expect(Self.maxDifference(hybrid, replacement) > 1e-3, "the adapters must change something")
  }

  @Test func ablationMasksTheSelectedFeatures() throws {
    let (models, reference) = try Self.models(seed: 43)
    let selection = FeatureSelection(
      layerCount: 2, features: [(0, 1), (0, 5), (1, 2), (1, 11), (0, 5)])
    #expect(selection.count == 4)
    var masked = reference
    masked.featureMasks = (0..<2).map { layer in
      Tensor(shape: [12]) { out in
        for index in 0..<12 { out[index] = selection.contains(layer: layer, index: index) ? 0 : 1 }
      }
    }
    let ids = AdapterTestSupport.ids
    let blocks = [ReplacementModel<Float>.Block](repeating: .replacement, count: 2)
    let expected = masked.forward(ids, blocks: blocks, context: Self.context).logits
    let ablated = try models.replacement(ablating: selection).forward(ids, context: Self.context)
    #expect(Self.maxDifference(ablated.logits, expected) == 0)
  }

  @Test func additionWithEverythingSelectedIsTheReplacementWithoutDecoderBias() throws {
    let (models, _) = try Self.models(seed: 47)
    let all = FeatureSelection(
      layerCount: 2, features: (0..<2).flatMap { layer in (0..<12).map { (layer, $0) } })
    var noBias = models.adapters
    for index in noBias.indices { noBias[index].decoderBias = Tensor(shape: [8]) }
    let expected = try models.hybrid.withAdapters(noBias.map { AdapterBranch(adapter: $0) })
    let ids = AdapterTestSupport.ids
    let added = try models.hybrid(adding: all).forward(ids, context: Self.context).logits
    #expect(
      Self.maxDifference(added, try expected.forward(ids, context: Self.context).logits) == 0)
  }

  /// METHOD §10.8: ablating a feature equals adding a copy with the same encoder and the
  /// negated decoder — the identity behind steering R with scale −1.
  @Test func steeringAtMinusOneCancelsTheSelectedFeatures() throws {
    let (models, _) = try Self.models(seed: 53)
    let selection = FeatureSelection(layerCount: 2, features: [(0, 3), (1, 7)])
    let ids = AdapterTestSupport.ids
    let plus = try models.target(steeredBy: selection, scale: 1)
    let minus = try models.target(steeredBy: selection, scale: -1)
    let r = try models.target.forward(ids, context: Self.context).logits
    let up = try plus.forward(ids, context: Self.context).logits
    let down = try minus.forward(ids, context: Self.context).logits
    #expect(Self.maxDifference(up, r) > 1e-4)
    #expect(Self.maxDifference(down, r) > 1e-4)
    #expect(Self.maxDifference(up, down) > 1e-4)
  }

  @Test func generationWithAdaptersIsDeterministicAndUsesTheCache() throws {
    let (models, _) = try Self.models(seed: 59)
    let model = try models.replacement()
    let parameters = GenerationParameters(
      maxNewTokens: 6, temperature: 0.7, seed: 9, stopTokens: [])
    let first = try model.generate(
      prompt: [1, 4, 3], parameters: parameters, context: Self.context)
    let again = try model.generate(
      prompt: [1, 4, 3], parameters: parameters,
      context: ComputeContext(profile: .exact, threads: 2))
    #expect(first == again)
    #expect(first.count == 6)
    // Incremental decoding with adapters equals the full forward of the same tokens.
    let all = [1, 4, 3] + first
    let full = try model.forward(all, context: Self.context).logits
    var cache = Qwen2KVCache(configuration: model.configuration)
    _ = try model.forward(Array(all.prefix(5)), cache: &cache, context: Self.context)
    let step = try model.forward([all[5]], cache: &cache, context: Self.context).logits
    #expect(Self.maxDifference(step, full.rows(5..<6)) < 1e-5)
  }

  @Test func randomControlsAreSeededAndAvoidTheSelection() {
    let pool = FeatureSelection(
      layerCount: 2, features: (0..<2).flatMap { layer in (0..<30).map { (layer, $0) } })
    let selected = FeatureSelection(layerCount: 2, features: [(0, 0), (1, 29)])
    let a = selected.randomControl(count: 20, from: pool, seed: 5)
    let b = selected.randomControl(count: 20, from: pool, seed: 5)
    let c = selected.randomControl(count: 20, from: pool, seed: 6)
    #expect(a == b)
    #expect(a != c)
    #expect(a.count == 20)
    #expect(!a.contains(layer: 0, index: 0) && !a.contains(layer: 1, index: 29))
  }

  @Test func adaptersThatDoNotFitAreRefused() throws {
    let (models, _) = try Self.models(seed: 61)
    #expect(throws: ModelError.self) { try models.hybrid.withAdapters([nil]) }
    let wide = TranscoderAdapter<Float>(hiddenSize: 9, featureCount: 4)
    #expect(throws: ModelError.self) {
      try models.hybrid.withAdapters([AdapterBranch(adapter: wide), nil])
    }
    #expect(throws: ModelError.self) {
      try AdapterModels(target: models.target, base: models.target, adapters: [wide, wide])
    }
  }
}
