// Deterministic initialisation of a model to train from scratch.
import Foundation
import VouchEngine

extension Qwen2Parameters {
  /// The standard deviation of every initialised weight matrix: transformers' Qwen2
  /// `initializer_range` default (`_init_weights`: `normal_(0, 0.02)` for Linear and Embedding).
  public static var initialStandardDeviation: Double { 0.02 }

  /// Fresh parameters for `configuration`, a pure function of `seed`.
  ///
  /// As transformers' `Qwen2PreTrainedModel._init_weights`: every weight matrix (embedding,
  /// projections, LM head) is drawn from N(0, 0.02²), every bias is 0, every RMSNorm gain is 1.
  /// The normals come from `RandomStream(seed:, purpose: "init")`, one stream for the model,
  /// consumed in ``namedPaths`` order (row-major within a tensor), two 64-bit values per element:
  /// Box–Muller `z = √(−2 ln u₁) · cos(2π u₂)` with `u₁ ∈ (0, 1]` and `u₂ ∈ [0, 1)` of 53 bits
  /// each, computed in `Double` and rounded to `Scalar` once after scaling by 0.02. Biases and
  /// gains draw nothing, so they do not shift later tensors' values.
  public init(configuration: Qwen2Configuration, seed: UInt64) {
    self.init(configuration: configuration) { _, shape in Tensor(shape: shape) }
    var stream = RandomStream(seed: seed, purpose: "init")
    let deviation = Self.initialStandardDeviation
    for (name, path) in namedPaths {
      let shape = self[keyPath: path].shape
      if name.hasSuffix("norm.weight") {
        self[keyPath: path] = Tensor(shape: shape, repeating: 1)
      } else if name.hasSuffix(".bias") {
        self[keyPath: path] = Tensor(shape: shape)
      } else {
        self[keyPath: path] = Tensor(shape: shape) { values in
          for index in values.indices {
            let u1 = Double((stream.next() >> 11) + 1) * 0x1.0p-53
            let u2 = Double(stream.next() >> 11) * 0x1.0p-53
            let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            values[index] = Scalar(deviation * normal)
          }
        }
      }
    }
  }
}
