extension Tensor {
  /// RMSNorm over the last axis, as Qwen2 computes it:
  /// `y = gain ⊙ (x · 1/√(mean(x²) + epsilon))`.
  ///
  /// The mean of squares is accumulated in Double (closest to PyTorch's pairwise float sum), then
  /// the reciprocal square root is taken in `Scalar`, like `torch.rsqrt` on a float32 tensor.
  /// - Parameters:
  ///   - gain: `[hidden]`, the learned per-channel gain γ.
  ///   - epsilon: added to the mean square (`rms_norm_eps`, 1e-6 for Qwen2).
  /// - Returns: the same shape as `self` (`[…, hidden]`).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func rmsNormalized(gain: Tensor, epsilon: Scalar) -> Tensor {
    let hidden = shape.last ?? 1
    precondition(gain.count == hidden, "rmsNorm: gain \(gain.shape) for rows of \(hidden)")
    var result = self
    result.withUnsafeMutableBufferPointer { out in
      gain.withUnsafeBufferPointer { gamma in
        var offset = 0
        while offset < out.count {
          var squares: Double = 0
          for column in 0..<hidden {
            let x = Double(out[offset + column])
            squares += x * x
          }
          let meanSquare = Scalar(squares / Double(hidden))
          let inverse = 1 / (meanSquare + epsilon).squareRoot()
          for column in 0..<hidden {
            out[offset + column] = gamma[column] * (out[offset + column] * inverse)
          }
          offset += hidden
        }
      }
    }
    return result
  }
}
