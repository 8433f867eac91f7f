/// Rotary position embedding in the half-split ("NeoX") layout Qwen2 uses: dimension `i` of a
/// head is rotated with dimension `i + headDim/2`.
///
/// `inv_freq_i = 1 / θ^(2i / headDim)` and angles `p · inv_freq_i` are computed in `Scalar`, as
/// transformers computes them in float32; `z' = z ⊙ cos + rotate_half(z) ⊙ sin` with
/// `rotate_half([z1; z2]) = [−z2; z1]`.
public struct RotaryEmbedding: Sendable, Hashable {
  /// Dimensions per head; even.
  public let headDimension: Int
  /// The base θ (`rope_theta`).
  public let theta: Double

  /// An embedding for heads of `headDimension` (even) with base `theta`.
  public init(headDimension: Int, theta: Double) {
    precondition(headDimension > 0 && headDimension % 2 == 0, "RoPE needs an even head dimension")
    self.headDimension = headDimension
    self.theta = theta
  }

  /// Rotates every head of every row in place.
  /// - Parameters:
  ///   - x: `[tokens, heads · headDimension]`, heads contiguous in head order.
  ///   - heads: number of heads per row.
  ///   - startPosition: the position of row 0 (later rows follow consecutively).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func apply<Scalar: TensorScalar>(
    to x: inout Tensor<Scalar>, heads: Int, startPosition: Int
  ) {
    let half = headDimension / 2
    let width = heads * headDimension
    precondition(x.shape.last == width, "RoPE: rows of \(x.shape) are not \(heads) heads")
    let base = Scalar(theta)
    var inverseFrequency = [Scalar](repeating: 0, count: half)
    for index in 0..<half {
      let exponent = Scalar(2 * index) / Scalar(headDimension)
      inverseFrequency[index] = 1 / Scalar.power(base, exponent)
    }
    let tokens = x.count / max(1, width)
    var cosine = [Scalar](repeating: 0, count: half)
    var sine = [Scalar](repeating: 0, count: half)
    x.withUnsafeMutableBufferPointer { values in
      for token in 0..<tokens {
        let position = Scalar(startPosition + token)
        for index in 0..<half {
          let angle = position * inverseFrequency[index]
          cosine[index] = Scalar.cosine(angle)
          sine[index] = Scalar.sine(angle)
        }
        for head in 0..<heads {
          let offset = token * width + head * headDimension
          for index in 0..<half {
            let first = values[offset + index]
            let second = values[offset + half + index]
            values[offset + index] = first * cosine[index] + (-second) * sine[index]
            values[offset + half + index] = second * cosine[index] + first * sine[index]
          }
        }
      }
    }
  }
}
