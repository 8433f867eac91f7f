// Backward of RMSNorm (Tensor+Normalization.swift).
extension Tensor {
  /// Gradients of ``rmsNormalized(gain:epsilon:)``, `y = g ⊙ x·r` with `r = 1/√(mean(x²) + ε)`:
  /// ```
  /// ∂L/∂g = Σ_rows ∂L/∂y ⊙ x·r                       (rows summed in order)
  /// ∂L/∂x = r·(g ⊙ ∂L/∂y) − x · r³ · Σ_j (g ⊙ ∂L/∂y)_j x_j / n
  /// ```
  /// `r` is recomputed the way the forward computes it (mean of squares in `Double`). Under
  /// ``BackwardRule/relp`` `r` is a constant (the norm is the fixed diagonal map `r·γ`), so the
  /// second term of `∂L/∂x` is dropped: `∂L/∂x = r·(g ⊙ ∂L/∂y)`.
  /// - Parameters:
  ///   - input: `x`, `[…, hidden]`.
  ///   - gain: `g`, `[hidden]`.
  ///   - epsilon: ε.
  ///   - outputGradient: `∂L/∂y`, `input`'s shape.
  ///   - rule: exact (default) or RelP's frozen `r`.
  /// - Returns: `∂L/∂x` (`input`'s shape) and `∂L/∂g` (`[hidden]`).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func rmsNormBackward(
    input: Tensor, gain: Tensor, epsilon: Scalar, outputGradient: Tensor,
    rule: BackwardRule = .exact
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
                let correction =
                  rule == .exact ? inverse * inverse * inverse * dot / Scalar(hidden) : 0
                for column in 0..<hidden {
                  let scaled = inverse * g[column] * dy[offset + column]
                  dx[offset + column] =
                    rule == .exact ? scaled - x[offset + column] * correction : scaled
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
