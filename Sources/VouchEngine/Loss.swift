#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Token-level training losses over logits, each returning its value and its gradient with
/// respect to the model's logits.
///
/// Losses are means over tokens (PyTorch's `reduction="mean"`); values are accumulated in
/// `Double` in token order, gradients are computed per row in `Scalar`.
public enum Loss {
  /// Cross-entropy `mean_t −log softmax(z_t)[y_t]`, as `torch.nn.functional.cross_entropy`.
  /// - Parameters:
  ///   - logits: `z`, `[tokens, vocabulary]`.
  ///   - targets: `y`, one id per token, each in `0..<vocabulary`.
  /// - Returns: the loss and `∂L/∂z = (softmax(z_t) − onehot(y_t)) / tokens`,
  ///   `[tokens, vocabulary]`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func crossEntropy<Scalar: TensorScalar>(
    logits: Tensor<Scalar>, targets: [Int]
  ) -> (loss: Double, gradient: Tensor<Scalar>) {
    precondition(
      logits.rank == 2 && logits.shape[0] == targets.count && logits.shape[1] > 0,
      "crossEntropy shapes")
    let (tokens, vocabulary) = (logits.shape[0], logits.shape[1])
    var gradient = logits
    var total: Double = 0
    let share = 1 / Scalar(max(1, tokens))
    gradient.withUnsafeMutableBufferPointer { rows in
      logits.withUnsafeBufferPointer { z in
        for (token, target) in targets.enumerated() {
          precondition(target >= 0 && target < vocabulary, "target \(target) outside vocabulary")
          let offset = token * vocabulary
          total -= logSoftmax(z.baseAddress.unsafelyUnwrapped + offset, vocabulary, at: target)
          guard let row = rows.baseAddress.map({ $0 + offset }) else { continue }
          Tensor<Scalar>.softmaxInPlace(row, count: vocabulary)
          row[target] -= 1
          for column in 0..<vocabulary { row[column] *= share }
        }
      }
    }
    return (total / Double(max(1, tokens)), gradient)
  }

  /// `log softmax(z)[index]` of one row, in `Double`.
  static func logSoftmax<Scalar: TensorScalar>(
    _ row: UnsafePointer<Scalar>, _ count: Int, at index: Int
  ) -> Double {
    Double(row[index]) - logSumExp(row, count)
  }

  /// `log Σ_j e^(z_j)` of one row, in `Double`, shifted by the row's maximum.
  static func logSumExp<Scalar: TensorScalar>(_ row: UnsafePointer<Scalar>, _ count: Int)
    -> Double
  {
    var largest = -Double.infinity
    for column in 0..<count { largest = max(largest, Double(row[column])) }
    var sum: Double = 0
    for column in 0..<count { sum += exp(Double(row[column]) - largest) }
    return largest + log(sum)
  }
}
