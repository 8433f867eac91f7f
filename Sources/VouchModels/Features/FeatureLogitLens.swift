// The logit lens of METHOD.md §6.1: which tokens a feature's output direction promotes and
// suppresses when read straight through the unembedding, `W_U · d_i`, with no final norm.

import VouchEngine

/// One feature's logit-lens scores: `W_U · d_i` for its decoder column `d_i`.
public struct FeatureLogitLens: Hashable, Sendable {
  /// How many tokens ``top`` and ``bottom`` list.
  public static let listed = 10

  /// Every token's score in id order, `[V]`.
  public var scores: [Double]
  /// The ``listed`` highest-scoring token ids, highest first; ties go to the lower id.
  public var top: [Int]
  /// The ``listed`` lowest-scoring token ids, lowest first; ties go to the lower id.
  public var bottom: [Int]

  /// The lens of one feature from its scores.
  /// - Parameter scores: `[V]`, token id order.
  public init(scores: [Double]) {
    self.scores = scores
    let ids = Array(scores.indices)
    top = Array(
      ids.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        .prefix(Self.listed))
    bottom = Array(
      ids.sorted { scores[$0] != scores[$1] ? scores[$0] < scores[$1] : $0 < $1 }
        .prefix(Self.listed))
  }

  /// How far ``top``'s first score stands above the rest: `(s_top − mean) / std` over all `V`
  /// scores (population standard deviation), or 0 when every score is equal.
  public var topStandardScore: Double {
    guard let first = top.first, !scores.isEmpty else { return 0 }
    let mean = scores.reduce(0, +) / Double(scores.count)
    let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(scores.count)
    return variance > 0 ? (scores[first] - mean) / variance.squareRoot() : 0
  }

  /// The lens of every feature of one layer.
  ///
  /// Entry `i` holds `Σ_k W_U[v, k] · W_dec[k, i]` for each token `v`, accumulated in `Double`
  /// over `k` in index order: no BLAS, so the bits depend on nothing but the weights.
  /// - Parameters:
  ///   - unembedding: `W_U`, R's LM head, `[V, d]`.
  ///   - decoder: `W_dec`, `[d, F]` (column `i` is `d_i`).
  /// - Returns: `[F]` lenses.
  public static func layer(unembedding: Tensor<Float>, decoder: Tensor<Float>)
    -> [FeatureLogitLens]
  {
    precondition(unembedding.rank == 2 && decoder.rank == 2, "W_U and W_dec must be matrices")
    let (vocabulary, hidden) = (unembedding.shape[0], unembedding.shape[1])
    let features = decoder.shape[1]
    precondition(decoder.shape[0] == hidden, "W_U is [V, d] and W_dec [d, F] for one d")
    return unembedding.withUnsafeBufferPointer { u in
      decoder.withUnsafeBufferPointer { w in
        (0..<features).map { feature in
          FeatureLogitLens(
            scores: (0..<vocabulary).map { token in
              var sum: Double = 0
              for k in 0..<hidden {
                sum += Double(u[token * hidden + k]) * Double(w[k * features + feature])
              }
              return sum
            })
        }
      }
    }
  }
}
