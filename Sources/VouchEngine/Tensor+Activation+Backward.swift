// Backward of ReLU, SiLU and softmax (Tensor+Activation.swift).
extension Tensor {
  /// Gradient of ``relu()``: `∂L/∂x = ∂L/∂y` where `x > 0`, else 0 (the subgradient 0 at
  /// `x = 0`, as PyTorch's `threshold_backward`).
  /// - Parameters:
  ///   - input: `x`, any shape.
  ///   - outputGradient: `∂L/∂y`, the same shape.
  /// - Returns: `∂L/∂x`, the shape of `input`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func reluBackward(input: Tensor, outputGradient: Tensor) -> Tensor {
    precondition(input.shape == outputGradient.shape, "reluBackward: shapes differ")
    var result = outputGradient
    result.withUnsafeMutableBufferPointer { out in
      input.withUnsafeBufferPointer { x in
        for index in 0..<out.count where !(x[index] > 0) { out[index] = 0 }
      }
    }
    return result
  }

  /// Gradient of ``silu()``: `∂L/∂x = ∂L/∂y · σ(x)·(1 + x·(1 − σ(x)))`, elementwise; under
  /// ``BackwardRule/relp`` SiLU is read as `x · stopgrad(σ(x))`, so `∂L/∂x = ∂L/∂y · σ(x)`.
  /// - Parameters:
  ///   - input: `x`, any shape.
  ///   - outputGradient: `∂L/∂y`, the same shape.
  ///   - rule: exact (default) or RelP's identity rule.
  /// - Returns: `∂L/∂x`, the shape of `input`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func siluBackward(
    input: Tensor, outputGradient: Tensor, rule: BackwardRule = .exact
  ) -> Tensor {
    precondition(input.shape == outputGradient.shape, "siluBackward: shapes differ")
    var result = outputGradient
    result.withUnsafeMutableBufferPointer { out in
      input.withUnsafeBufferPointer { x in
        for index in 0..<out.count {
          let sigmoid = 1 / (1 + Scalar.exponential(-x[index]))
          out[index] *= rule == .exact ? sigmoid * (1 + x[index] * (1 - sigmoid)) : sigmoid
        }
      }
    }
    return result
  }

  /// Gradient of a softmax row in place: given `p = softmax(s)` and `∂L/∂p` in `gradient`,
  /// writes `∂L/∂s = p ⊙ (∂L/∂p − Σ_j p_j ∂L/∂p_j)` (the sum taken in index order).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func softmaxBackwardInPlace(
    probabilities: UnsafePointer<Scalar>, gradient: UnsafeMutablePointer<Scalar>, count: Int
  ) {
    var dot: Scalar = 0
    for index in 0..<count { dot += probabilities[index] * gradient[index] }
    for index in 0..<count { gradient[index] = probabilities[index] * (gradient[index] - dot) }
  }
}
