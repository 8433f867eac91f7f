/// Global-norm gradient clipping as `torch.nn.utils.clip_grad_norm_` (norm type 2) computes it.
public enum GradientClipping {
  /// Scales every gradient by `min(1, maxNorm / (total + 1e-6))`, `total` being the 2-norm of all
  /// gradients' elements together, and returns `total`.
  ///
  /// Like PyTorch: each tensor's norm is taken first (accumulated in `Double`, rounded to
  /// `Scalar`, standing in for ATen's float reduction), then the norm of those norms (again in
  /// `Double`, rounded); the coefficient `maxNorm / (total + 1e-6)` is formed in `Scalar` and
  /// clamped at 1. Gradients are only touched when the coefficient is below 1 (multiplying by
  /// exactly 1, as PyTorch does, changes no bits). Tensors are visited in the given order, so the
  /// result does not depend on threads.
  /// - Parameters:
  ///   - gradients: any shapes; scaled in place.
  ///   - maxNorm: the largest allowed total norm (1.0 in `METHOD.md` §3).
  /// - Returns: the total norm before clipping.
  @discardableResult
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func clipGlobalNorm<Scalar: TensorScalar>(
    _ gradients: inout [Tensor<Scalar>], maxNorm: Double
  ) -> Scalar {
    var normSquares: Double = 0
    for gradient in gradients {
      let norm = norm2(gradient)
      normSquares += Double(norm) * Double(norm)
    }
    let total = Scalar(normSquares.squareRoot())
    let coefficient = min(Scalar(maxNorm) / (total + Scalar(1e-6)), 1)
    guard coefficient < 1 else { return total }
    for index in gradients.indices {
      gradients[index].withUnsafeMutableBufferPointer { values in
        for element in values.indices { values[element] *= coefficient }
      }
    }
    return total
  }

  /// The 2-norm of one tensor's elements, accumulated in `Double`.
  private static func norm2<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) -> Scalar {
    tensor.withUnsafeBufferPointer { values in
      var sum: Double = 0
      for value in values { sum += Double(value) * Double(value) }
      return Scalar(sum.squareRoot())
    }
  }
}
