// Backward of RMSNorm (Tensor+Normalization.swift).
extension Tensor {
  /// Gradients of ``rmsNormalized(gain:epsilon:)``, `y = g ⊙ x·r` with `r = 1/√(mean(x²) + ε)`:
  /// ```
  /// ∂L/∂g = Σ_rows ∂L/∂y ⊙ x·r                       (rows summed in order)
  /// ∂L/∂x = r·(g ⊙ ∂L/∂y) − x · r³ · Σ_j (g ⊙ ∂L/∂y)_j x_j / n
  /// ```
  /// `r` is recomputed the way the forward computes it (mean of squares in `Double`).
  /// - Parameters:
  ///   - input: `x`, `[…, hidden]`.
  ///   - gain: `g`, `[hidden]`.
  ///   - epsilon: ε.
  ///   - outputGradient: `∂L/∂y`, `input`'s shape.
  /// - Returns: `∂L/∂x` (`input`'s shape) and `∂L/∂g` (`[hidden]`).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func rmsNormBackward(
    input: Tensor, gain: Tensor, epsilon: Scalar, outputGradient: Tensor
  ) -> (input: Tensor, gain: Tensor) {
    let hidden = input.shape.last ?? 1
    precondition(gain.count == hidden && input.shape == outputGradient.shape, "rmsNormBackward")
    var inputGradient = Tensor(shape: input.shape)
    var gainGradient = Tensor(shape: [hidden])
    inputGradient.withUnsafeMutableBufferPointer { dx in
      gainGradient.withUnsafeMutableBufferPointer { dg in
        input.withUnsafeBufferPointer { x in
          gain.withUnsafeBufferPointer { g in
            outputGradient.withUnsafeBufferPointer { dy in
              var offset = 0
              while offset < x.count {
                var squares: Double = 0
                for column in 0..<hidden {
                  let value = Double(x[offset + column])
                  squares += value * value
                }
                let meanSquare = Scalar(squares / Double(hidden))
                let inverse = 1 / (meanSquare + epsilon).squareRoot()
                var dot: Scalar = 0
                for column in 0..<hidden {
                  let value = x[offset + column]
                  dg[column] += dy[offset + column] * value * inverse
                  dot += g[column] * dy[offset + column] * value
                }
                let correction = inverse * inverse * inverse * dot / Scalar(hidden)
                for column in 0..<hidden {
                  dx[offset + column] =
                    inverse * g[column] * dy[offset + column] - x[offset + column] * correction
                }
                offset += hidden
              }
            }
          }
        }
      }
    }
    return (inputGradient, gainGradient)
  }
}
