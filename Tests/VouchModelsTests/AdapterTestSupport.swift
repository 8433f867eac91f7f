import VouchEngine
import VouchEngineTestSupport
import VouchTestSupport

@testable import VouchModels

/// Tiny random R/B pairs and adapters for the adapter tests.
enum AdapterTestSupport {
  /// Two layers, GQA (4 query heads over 2 KV heads), untied head.
  static let configuration = Qwen2Configuration(
    hiddenSize: 8, intermediateSize: 12, layerCount: 2, attentionHeads: 4, keyValueHeads: 2,
    vocabularySize: 11, rmsNormEpsilon: 1e-6)

  /// Random parameters (norm gains around 1), a pure function of `seed`.
  static func parameters(
    _ configuration: Qwen2Configuration = configuration, seed: UInt64, scale: Double = 0.6
  ) -> Qwen2Parameters<Double> {
    var generator = SeededGenerator(seed: seed)
    return Qwen2Parameters<Double>(configuration: configuration) { name, shape in
      name.hasSuffix("norm.weight")
        ? GradientCheck.random(shape, scale: 0.3, generator: &generator)
          + Tensor(shape: shape, repeating: 1)
        : GradientCheck.random(shape, scale: scale, generator: &generator)
    }
  }

  /// A random adapter with every tensor non-zero (so every gradient path is exercised).
  static func adapter(hiddenSize: Int, featureCount: Int, generator: inout SeededGenerator)
    -> TranscoderAdapter<Double>
  {
    TranscoderAdapter(
      encoderWeight: GradientCheck.random(
        [featureCount, hiddenSize], scale: 0.6, generator: &generator),
      encoderBias: GradientCheck.random([featureCount], scale: 0.3, generator: &generator),
      decoderWeight: GradientCheck.random(
        [hiddenSize, featureCount], scale: 0.5, generator: &generator),
      decoderBias: GradientCheck.random([hiddenSize], scale: 0.2, generator: &generator))
  }

  /// R, an independent B, and random adapters with `featureCount` features.
  static func model(seed: UInt64, featureCount: Int = 12) throws -> ReplacementModel<Double> {
    let c = configuration
    var generator = SeededGenerator(seed: seed &+ 7)
    let adapters = (0..<c.layerCount).map { _ in
      adapter(hiddenSize: c.hiddenSize, featureCount: featureCount, generator: &generator)
    }
    return try ReplacementModel(
      target: parameters(seed: seed), base: parameters(seed: seed &+ 1), adapters: adapters)
  }

  /// A fixed test sequence of 7 ids.
  static let ids = [1, 7, 3, 3, 10, 0, 5]
}
