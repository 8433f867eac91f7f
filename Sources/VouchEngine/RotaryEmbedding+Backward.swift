// Backward of RoPE (RotaryEmbedding.swift): the rotation is orthogonal, so the gradient is the
// gradient rotated by the opposite angle.
extension RotaryEmbedding {
  /// Turns `∂L/∂z'` into `∂L/∂z` in place for `z' = rope(z)` (``apply(to:heads:startPosition:)``):
  /// `∂z₁ = ∂z₁'·cos + ∂z₂'·sin`, `∂z₂ = ∂z₂'·cos − ∂z₁'·sin`, with the forward's angles.
  /// - Parameters:
  ///   - gradient: `[tokens, heads · headDimension]`.
  ///   - heads: number of heads per row.
  ///   - startPosition: the position of row 0.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func applyBackward<Scalar: TensorScalar>(
    to gradient: inout Tensor<Scalar>, heads: Int, startPosition: Int
  ) {
    let half = headDimension / 2
    let width = heads * headDimension
    precondition(gradient.shape.last == width, "RoPE backward: rows are not \(heads) heads")
    let base = Scalar(theta)
    var inverseFrequency = [Scalar](repeating: 0, count: half)
    for index in 0..<half {
      let exponent = Scalar(2 * index) / Scalar(headDimension)
      inverseFrequency[index] = 1 / Scalar.power(base, exponent)
    }
    let tokens = gradient.count / max(1, width)
    gradient.withUnsafeMutableBufferPointer { values in
      for token in 0..<tokens {
        let position = Scalar(startPosition + token)
        for index in 0..<half {
          let angle = position * inverseFrequency[index]
          let (cosine, sine) = (Scalar.cosine(angle), Scalar.sine(angle))
          for head in 0..<heads {
            let offset = token * width + head * headDimension
            let first = values[offset + index]
            let second = values[offset + half + index]
            values[offset + index] = first * cosine + second * sine
            values[offset + half + index] = second * cosine - first * sine
          }
        }
      }
    }
  }
}
