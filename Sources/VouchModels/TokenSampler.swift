import Foundation
import VouchEngine

/// Picks the next token from one row of logits, greedily or by seeded temperature sampling.
///
/// Sampling draws one uniform `u ∈ [0, 1)` per step from a ``VouchEngine/RandomStream`` with
/// purpose `"sampling"`, forms `p = softmax(logits / T)` in Double, and returns the first id whose
/// cumulative probability exceeds `u`. Same seed and logits ⇒ same tokens.
public struct TokenSampler: Sendable {
  /// The parameters (temperature, seed).
  public let parameters: GenerationParameters
  private var stream: RandomStream

  /// A sampler at the start of its stream.
  public init(parameters: GenerationParameters) {
    self.parameters = parameters
    stream = RandomStream(seed: parameters.seed, purpose: "sampling")
  }

  /// The next token for `logits` (`[V]`).
  public mutating func next(logits: [Float]) -> Int {
    precondition(!logits.isEmpty, "no logits to sample from")
    guard parameters.temperature > 0 else { return TokenSampler.argmax(logits) }
    let scaled = logits.map { Double($0) / parameters.temperature }
    let largest = scaled.max() ?? 0
    let weights = scaled.map { exp($0 - largest) }
    let total = weights.reduce(0, +)
    let threshold = stream.nextUnit() * total
    var cumulative = 0.0
    for (id, weight) in weights.enumerated() {
      cumulative += weight
      if cumulative > threshold { return id }
    }
    return weights.lastIndex(where: { $0 > 0 }) ?? TokenSampler.argmax(logits)
  }

  /// Index of the largest logit, the lowest such index on ties.
  public static func argmax(_ logits: [Float]) -> Int {
    var best = 0
    for index in logits.indices where logits[index] > logits[best] { best = index }
    return best
  }
}
