#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Loss {
  /// Per-token KL divergence `mean_t KL(p_t ‖ q_t) = mean_t Σ_v p_tv (log p_tv − log q_tv)`,
  /// `p = softmax(targetLogits)` (the fixed target model), `q = softmax(modelLogits)` (the model
  /// being trained; `METHOD.md` §2.2's direction).
  /// - Parameters:
  ///   - targetLogits: `[tokens, vocabulary]`; treated as constant.
  ///   - modelLogits: `[tokens, vocabulary]`.
  /// - Returns: the loss and `∂L/∂modelLogits = (q_t − p_t) / tokens`, `[tokens, vocabulary]`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func tokenKL<Scalar: TensorScalar>(
    targetLogits: Tensor<Scalar>, modelLogits: Tensor<Scalar>
  ) -> (loss: Double, gradient: Tensor<Scalar>) {
    precondition(
      targetLogits.shape == modelLogits.shape && modelLogits.rank == 2
        && modelLogits.shape[1] > 0, "tokenKL shapes")
    let (tokens, vocabulary) = (modelLogits.shape[0], modelLogits.shape[1])
    var gradient = modelLogits
    let target = targetLogits.softmax()
    var total: Double = 0
    let share = 1 / Scalar(max(1, tokens))
    gradient.withUnsafeMutableBufferPointer { rows in
      targetLogits.withUnsafeBufferPointer { zp in
        modelLogits.withUnsafeBufferPointer { zq in
          target.withUnsafeBufferPointer { p in
            for token in 0..<tokens {
              let offset = token * vocabulary
              let logNormP = logSumExp(zp.baseAddress.unsafelyUnwrapped + offset, vocabulary)
              let logNormQ = logSumExp(zq.baseAddress.unsafelyUnwrapped + offset, vocabulary)
              for column in 0..<vocabulary where p[offset + column] > 0 {
                let logP = Double(zp[offset + column]) - logNormP
                let logQ = Double(zq[offset + column]) - logNormQ
                total += exp(logP) * (logP - logQ)
              }
              guard let row = rows.baseAddress.map({ $0 + offset }) else { continue }
              Tensor<Scalar>.softmaxInPlace(row, count: vocabulary)
              for column in 0..<vocabulary {
                row[column] = (row[column] - p[offset + column]) * share
              }
            }
          }
        }
      }
    }
    return (total / Double(max(1, tokens)), gradient)
  }
}
