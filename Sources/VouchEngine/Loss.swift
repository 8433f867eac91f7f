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
  /// The target id of a token that takes no part in the loss (PyTorch's `ignore_index`), e.g. a
  /// prompt token when fine-tuning on responses only.
  public static let ignoredTarget = -100

  /// Cross-entropy `mean_t −log softmax(z_t)[y_t]`, as `torch.nn.functional.cross_entropy`
  /// with `ignore_index = -100`: tokens whose target is ``ignoredTarget`` get a zero gradient row
  /// and are left out of the mean (all ignored: loss 0, zero gradient).
  /// - Parameters:
  ///   - logits: `z`, `[tokens, vocabulary]`.
  ///   - targets: `y`, one per token, each in `0..<vocabulary` or ``ignoredTarget``.
  /// - Returns: the loss and `∂L/∂z = (softmax(z_t) − onehot(y_t)) / counted`,
  ///   `[tokens, vocabulary]`, `counted` being the number of tokens not ignored.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func crossEntropy<Scalar: TensorScalar>(
    logits: Tensor<Scalar>, targets: [Int]
  ) -> (loss: Double, gradient: Tensor<Scalar>) {
    precondition(
      logits.rank == 2 && logits.shape[0] == targets.count && logits.shape[1] > 0,
      "crossEntropy shapes")
    let vocabulary = logits.shape[1]
    let counted = targets.filter { $0 != ignoredTarget }.count
    var gradient = logits
    var total: Double = 0
    let share = 1 / Scalar(max(1, counted))
    gradient.withUnsafeMutableBufferPointer { rows in
      logits.withUnsafeBufferPointer { z in
        for (token, target) in targets.enumerated() {
          let offset = token * vocabulary
          guard let row = rows.baseAddress.map({ $0 + offset }) else { continue }
          guard target != ignoredTarget else {
            row.update(repeating: 0, count: vocabulary)
            continue
          }
          precondition(target >= 0 && target < vocabulary, "target \(target) outside vocabulary")
          total -= logSoftmax(z.baseAddress.unsafelyUnwrapped + offset, vocabulary, at: target)
          Tensor<Scalar>.softmaxInPlace(row, count: vocabulary)
          row[target] -= 1
          for column in 0..<vocabulary { row[column] *= share }
        }
      }
    }
    return (total / Double(max(1, counted)), gradient)
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
