import VouchEngine
import VouchTestSupport

@testable import VouchModels

/// A tiny random Qwen2 model over the organism's vocabulary (`[31]` tokens, d = 16, 2 layers,
/// GQA 2:1), resident, with weights from a seeded generator: small enough for debug builds.
enum TinyOrganismModel {
  static let configuration = Qwen2Configuration(
    hiddenSize: 16, intermediateSize: 32, layerCount: 2, attentionHeads: 2, keyValueHeads: 1,
    headDimension: 8, vocabularySize: OrganismVocabulary.size)

  /// The model for `seed`: norm gains 1, every other weight uniform in `±scale`.
  static func make(seed: UInt64, scale: Float = 0.5) throws -> Qwen2Model {
    var generator = SeededGenerator(seed: seed)
    var tensors: [String: Tensor<Float>] = [:]
    for (name, shape) in Qwen2Model.expectedShapes(configuration).sorted(by: { $0.key < $1.key }) {
      let count = shape.reduce(1, *)
      if name.hasSuffix("norm.weight") {
        tensors[name] = Tensor(shape: shape, repeating: 1)
      } else {
        let values = (0..<count).map { _ in Float.random(in: -scale...scale, using: &generator) }
        tensors[name] = Tensor(shape: shape, scalars: values)
      }
    }
    return try Qwen2Model(
      configuration: configuration, weights: InMemoryWeights(tensors), residency: .resident)
  }

  /// A few held-out problems.
  static func problems(_ count: Int) -> [ArithmeticProblem] {
    OrganismDataGenerator(seed: 5).evaluationProblems(count: count)
  }
}
