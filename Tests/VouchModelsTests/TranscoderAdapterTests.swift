import Testing
import VouchEngine
import VouchEngineTestSupport
import VouchTestSupport

@testable import VouchModels

/// The adapter's forward/backward, its METHOD initialisation, the frozen-block input gradient
/// and the replacement/hybrid model's structure (METHOD §1.2–§1.3, §10.2).
@Suite("Transcoder adapter and replacement model")
struct TranscoderAdapterTests {
  let context = ComputeContext(profile: .exact, threads: 2)

  /// All four parameters and the input, with a feature mask and a direct feature gradient.
  @Test(arguments: [false, true])
  func adapterBackwardMatchesFiniteDifferences(masked: Bool) {
    var generator = SeededGenerator(seed: 81)
    let adapter = AdapterTestSupport.adapter(hiddenSize: 6, featureCount: 9, generator: &generator)
    let input = GradientCheck.random([5, 6], generator: &generator)
    let mask: Tensor<Double>? =
      masked ? Tensor(shape: [9], scalars: (0..<9).map { $0 % 3 == 0 ? 0 : 1 }) : nil
    let r = GradientCheck.random([5, 6], generator: &generator)
    let s = GradientCheck.random([5, 9], generator: &generator)
    // ⟨T(u), r⟩ + ⟨f, s⟩: the second term's gradient enters as `featureGradient`.
    func loss(_ a: TranscoderAdapter<Double>, _ u: Tensor<Double>) -> Double {
      let forward = a.forward(u, featureMask: mask, context: context)
      return GradientCheck.dot(forward.output, r)
        + GradientCheck.dot(forward.activations.features, s)
    }
    let saved = adapter.forward(input, featureMask: mask, context: context)
    let grads = adapter.backward(
      saved.activations, outputGradient: r, featureGradient: s, context: context)
    var errors = [
      GradientCheck.relativeError(at: input, analytic: grads.input) { loss(adapter, $0) }
    ]
    for (_, path) in TranscoderAdapter<Double>.namedPaths {
      errors.append(
        GradientCheck.relativeError(
          at: adapter[keyPath: path], analytic: grads.gradients[keyPath: path]
        ) {
          var perturbed = adapter
          perturbed[keyPath: path] = $0
          return loss(perturbed, input)
        })
    }
    #expect(errors.allSatisfy { $0 <= 1e-7 }, "\(errors)")
    if masked {
      // A masked feature neither fires nor learns.
      let features = saved.activations.features
      #expect((0..<5).allSatisfy { features[$0, 0] == 0 && features[$0, 3] == 0 })
      #expect((0..<6).allSatisfy { grads.gradients.encoderWeight[0, $0] == 0 })
    }
  }

  @Test func methodInitialisationIsSeededUniformWithZerosElsewhere() {
    var first = RandomStream(seed: 9, purpose: "adapter-init")
    var again = RandomStream(seed: 9, purpose: "adapter-init")
    let a = TranscoderAdapter<Float>(hiddenSize: 16, featureCount: 40, stream: &first)
    let b = TranscoderAdapter<Float>(hiddenSize: 16, featureCount: 40, stream: &again)
    let next = TranscoderAdapter<Float>(hiddenSize: 16, featureCount: 40, stream: &first)
    #expect(a.encoderWeight.isBitwiseEqual(to: b.encoderWeight))
    #expect(!a.encoderWeight.isBitwiseEqual(to: next.encoderWeight))
    let bound: Float = 0.25  // 1/√16
    let values = a.encoderWeight.scalars
    #expect(values.allSatisfy { abs($0) <= bound })
    #expect(values.max() ?? 0 > 0.2 && values.min() ?? 0 < -0.2, "spans ±1/√d")
    #expect(abs(values.reduce(0, +) / Float(values.count)) < 0.03, "centred")
    for tensor in [a.encoderBias, a.decoderWeight, a.decoderBias] {
      #expect(tensor.scalars.allSatisfy { $0 == 0 })
    }
    #expect(a.decoderNorms().scalars.allSatisfy { $0 == 0 })
  }

  /// The frozen-block backward gives `backward`'s input gradient bit for bit.
  @Test func frozenInputGradientEqualsFullBackwardInput() {
    let parameters = AdapterTestSupport.parameters(seed: 82).converted(to: Float.self)
    let c = parameters.configuration
    var generator = SeededGenerator(seed: 83)
    let hidden = GradientCheck.random([6, c.hiddenSize], generator: &generator)
      .converted(to: Float.self)
    let upstream = GradientCheck.random([6, c.hiddenSize], generator: &generator)
      .converted(to: Float.self)
    let layer = parameters.layers[1]
    let saved = layer.forward(hidden, configuration: c, context: context)
    let full = layer.backward(
      saved.activations, outputGradient: upstream, configuration: c, context: context)
    let frozen = layer.inputGradient(
      saved.activations, outputGradient: upstream, configuration: c, context: context)
    #expect(frozen.isBitwiseEqual(to: full.input))
  }
}

extension TranscoderAdapterTests {
  typealias Block = ReplacementModel<Float>.Block

  @Test func allTargetBlocksAreTheTargetModel() throws {
    let model = try AdapterTestSupport.model(seed: 84)
    let float = try ReplacementModel(
      target: model.target.converted(to: Float.self), base: model.hybrid.converted(),
      adapters: model.adapters.map { $0.converted(to: Float.self) })
    let ids = AdapterTestSupport.ids
    let expected = float.target.forward(ids, context: context).logits
    let run = float.forward(ids, blocks: [Block](repeating: .target, count: 2), context: context)
    #expect(run.logits.isBitwiseEqual(to: expected))
    let hybrid = float.hybrid.forward(ids, context: context).logits
    var off = float
    off.adapterEnabled = [false, false]
    let switchedOff = off.forward(ids, blocks: [.replacement, .replacement], context: context)
    #expect(switchedOff.logits.isBitwiseEqual(to: hybrid))
    #expect(!hybrid.isBitwiseEqual(to: expected), "B's MLPs change the output")
  }

  /// METHOD §10.2: with `W_dec = 0` and `b_dec = 0` the replacement model is the hybrid, bit
  /// for bit; switching an adapter off removes `b_dec` too; a zero mask leaves only `b_dec`.
  @Test func replacementAtInitEqualsHybridAndSwitchesRemoveTheBranch() throws {
    let pair = try AdapterTestSupport.model(seed: 85)
    let target = pair.target.converted(to: Float.self)
    let base = pair.hybrid.converted(to: Float.self)
    var model = try ReplacementModel(target: target, base: base, featureCount: 24, seed: 3)
    let ids = AdapterTestSupport.ids
    let replacement: [Block] = [.replacement, .replacement]
    let hybrid = model.hybrid.forward(ids, context: context).logits
    #expect(
      model.forward(ids, blocks: replacement, context: context).logits.isBitwiseEqual(to: hybrid))

    model.adapters[1].decoderBias = Tensor(shape: [8], repeating: 0.5)
    #expect(
      !model.forward(ids, blocks: replacement, context: context).logits.isBitwiseEqual(to: hybrid))
    model.adapterEnabled[1] = false
    #expect(
      model.forward(ids, blocks: replacement, context: context).logits.isBitwiseEqual(to: hybrid))

    // Features masked off: only b_dec remains, so W_dec no longer matters.
    model.adapterEnabled[1] = true
    model.featureMasks[1] = Tensor(shape: [24])
    let biasOnly = model.forward(ids, blocks: replacement, context: context).logits
    model.adapters[1].decoderWeight = Tensor(shape: [8, 24], repeating: 3)
    #expect(
      model.forward(ids, blocks: replacement, context: context).logits.isBitwiseEqual(to: biasOnly))
  }

  @Test func mismatchedModelsAndAdaptersAreRejected() throws {
    let target = AdapterTestSupport.parameters(seed: 86)
    var wider = AdapterTestSupport.configuration
    wider.intermediateSize = 16
    let otherBase = AdapterTestSupport.parameters(wider, seed: 87)
    #expect(throws: ModelError.self) {
      try ReplacementModel(target: target, base: otherBase, featureCount: 4, seed: 0)
    }
    #expect(throws: ModelError.self) {
      try ReplacementModel(target: target, base: target, featureCount: 0, seed: 0)
    }
    // Informational fields may differ (R1-Distill's context length is not Qwen2.5-Math's).
    var longer = AdapterTestSupport.configuration
    longer.maxPositionEmbeddings = 131_072
    let longerBase = AdapterTestSupport.parameters(longer, seed: 88)
    #expect(throws: Never.self) {
      try ReplacementModel(target: target, base: longerBase, featureCount: 4, seed: 0)
    }
    let oneAdapter = [TranscoderAdapter<Double>(hiddenSize: 8, featureCount: 4)]
    let error = #expect(throws: ModelError.self) {
      try ReplacementModel(target: target, base: target, adapters: oneAdapter)
    }
    #expect(error?.code == .mismatch)
  }

  /// METHOD §10.8: ablating feature `i` (mask 0) equals adding a feature with `i`'s encoder and
  /// the negated decoder `−d_i` (the identity behind steering).
  @Test func ablationEqualsAddingTheNegatedFeature() throws {
    let pair = try AdapterTestSupport.model(seed: 89, featureCount: 6)
    let ids = AdapterTestSupport.ids
    let replacement: [ReplacementModel<Double>.Block] = [.replacement, .replacement]
    // The feature that fires most in layer 1 on this sequence.
    let run = pair.forward(ids, blocks: replacement, context: context)
    let fired = try #require(run.trace.blocks[1].adapter?.features)
    let totals = (0..<6).map { column in (0..<ids.count).reduce(0) { $0 + fired[$1, column] } }
    let i = try #require(totals.indices.max { totals[$0] < totals[$1] })
    #expect(totals[i] > 0)
    var ablated = pair
    ablated.featureMasks[1] = Tensor(shape: [6]) { mask in
      for column in 0..<6 where column != i { mask[column] = 1 }
    }
    var extended = pair
    let a = pair.adapters[1]
    let (d, features) = (a.hiddenSize, a.featureCount)
    extended.adapters[1] = TranscoderAdapter(
      encoderWeight: a.encoderWeight.concatenatingRows(a.encoderWeight.rows(i..<(i + 1))),
      encoderBias: Tensor(
        shape: [features + 1], scalars: a.encoderBias.scalars + [a.encoderBias[i]]),
      decoderWeight: Tensor(shape: [d, features + 1]) { out in
        for row in 0..<d {
          for column in 0..<features {
            out[row * (features + 1) + column] = a.decoderWeight[row, column]
          }
          out[row * (features + 1) + features] = -a.decoderWeight[row, i]
        }
      },
      decoderBias: a.decoderBias)
    let expected = ablated.forward(ids, blocks: replacement, context: context).logits
    let actual = extended.forward(ids, blocks: replacement, context: context).logits
    #expect(actual.maxAbsoluteDifference(expected) <= 1e-12)
    #expect(run.logits.maxAbsoluteDifference(expected) > 1e-3, "the feature matters")
  }
}
