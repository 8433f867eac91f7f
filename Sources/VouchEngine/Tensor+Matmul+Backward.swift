// Backward of `linear` and `matmul` (Tensor+Matmul.swift). Every reduction over tokens happens
// inside one GEMM of a fixed column block (see `partitionedGEMM`), so gradients do not depend on
// the thread count.
extension Tensor {
  /// The transpose of a `[rows, columns]` matrix: `[columns, rows]`, copied.
  public func transposed() -> Tensor {
    precondition(rank == 2, "transposed: needs a matrix, got \(shape)")
    let (rows, columns) = (shape[0], shape[1])
    return Tensor(shape: [columns, rows]) { out in
      withUnsafeBufferPointer { source in
        for row in 0..<rows {
          for column in 0..<columns { out[column * rows + row] = source[row * columns + column] }
        }
      }
    }
  }

  /// Sums a `[rows, columns]` matrix over its rows, in row order: `[columns]` (a bias gradient).
  public func columnSums() -> Tensor {
    let columns = shape.last ?? 1
    return Tensor(shape: [columns]) { out in
      withUnsafeBufferPointer { source in
        var offset = 0
        while offset < source.count {
          for column in 0..<columns { out[column] += source[offset + column] }
          offset += columns
        }
      }
    }
  }

  /// Gradients of `y = x · weightᵀ + bias` (``linear(weight:bias:context:)``).
  /// - Parameters:
  ///   - input: `x`, `[rows, in]` (leading axes flattened into rows).
  ///   - weight: `[out, in]`.
  ///   - outputGradient: `∂L/∂y`, `[rows, out]`.
  ///   - hasBias: whether to return the bias gradient.
  ///   - context: profile and threads.
  /// - Returns: `∂L/∂x = ∂L/∂y · weight` (`input`'s shape), `∂L/∂weight = (∂L/∂y)ᵀ · x`
  ///   (`[out, in]`) and `∂L/∂bias = Σ_rows ∂L/∂y` (`[out]`, rows summed in order) or `nil`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func linearBackward(
    input: Tensor, weight: Tensor, outputGradient: Tensor, hasBias: Bool = false,
    context: ComputeContext
  ) -> (input: Tensor, weight: Tensor, bias: Tensor?) {
    let (outer, inner) = (weight.shape[0], weight.shape[1])
    let rows = input.count / max(1, inner)
    precondition(outputGradient.count == rows * outer, "linearBackward: gradient shape")
    let flatInput = input.reshaped([rows, inner])
    let flatGradient = outputGradient.reshaped([rows, outer])
    let inputGradient = flatGradient.matmul(weight, context: context).reshaped(input.shape)
    let weightGradient = flatGradient.transposed().matmul(flatInput, context: context)
    return (inputGradient, weightGradient, hasBias ? flatGradient.columnSums() : nil)
  }

  /// Gradients of `C = A · B` (``matmul(_:context:)``) for `A` `[m, k]`, `B` `[k, n]` and
  /// `∂L/∂C` `[m, n]`: `∂L/∂A = ∂L/∂C · Bᵀ` (`[m, k]`) and `∂L/∂B = Aᵀ · ∂L/∂C` (`[k, n]`).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func matmulBackward(
    left: Tensor, right: Tensor, outputGradient: Tensor, context: ComputeContext
  ) -> (left: Tensor, right: Tensor) {
    precondition(outputGradient.shape == [left.shape[0], right.shape[1]], "matmulBackward")
    let leftGradient = outputGradient.linear(weight: right, context: context)
    let rightGradient = left.transposed().matmul(outputGradient, context: context)
    return (leftGradient, rightGradient)
  }
}
