extension Tensor {
  /// A dense layer as PyTorch's `Linear` computes it: `y = x · weightᵀ + bias`.
  ///
  /// - Parameters:
  ///   - weight: `[out, in]` (the layout Hugging Face checkpoints store).
  ///   - bias: `[out]`, or `nil`.
  ///   - context: profile and threads; see ``ComputeContext`` for how the work is split.
  /// - Returns: `[rows, out]` for `self` of shape `[rows, in]` (any leading shape is flattened
  ///   into rows and restored).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func linear(weight: Tensor, bias: Tensor? = nil, context: ComputeContext) -> Tensor {
    precondition(weight.rank == 2, "linear: weight must be [out, in], got \(weight.shape)")
    let inner = weight.shape[1]
    let outer = weight.shape[0]
    precondition(rank >= 1 && shape[rank - 1] == inner, "linear: \(shape) · \(weight.shape)ᵀ")
    let rows = shape.dropLast().reduce(1, *)
    var result = Tensor(uninitializedShape: Array(shape.dropLast()) + [outer])
    result.withUnsafeMutableBufferPointer { output in
      withUnsafeBufferPointer { input in
        weight.withUnsafeBufferPointer { weights in
          Tensor.partitionedGEMM(
            rows: rows, columns: outer, inner: inner, a: input, lda: inner,
            b: weights, bTransposed: true, c: output, ldc: outer, context: context)
        }
      }
    }
    if let bias {
      precondition(bias.shape == [outer], "linear: bias \(bias.shape) for \(outer) outputs")
      result.addRowVector(bias)
    }
    return result
  }

  /// Writes `self · weight[weightRows]ᵀ` into columns `column ..< column + weightRows.count` of
  /// `output`: one slice of a large dense layer (the unembedding, computed a vocabulary chunk at a
  /// time so that only a chunk of a bf16 weight is ever widened).
  ///
  /// - Parameters:
  ///   - weight: `[out, in]`; only rows `weightRows` are read.
  ///   - weightRows: the weight rows (output features) to compute.
  ///   - output: `[rows, total]` for `self` of shape `[rows, in]`; other columns are untouched.
  ///   - column: the first output column written.
  ///   - context: profile and threads. The exact-profile blocks depend on `weightRows.count` only,
  ///     so the same slice gives the same bits whether `weight` is the whole matrix or the slice.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func linear(
    weight: Tensor, rows weightRows: Range<Int>, into output: inout Tensor, column: Int,
    context: ComputeContext
  ) {
    precondition(rank == 2 && weight.rank == 2 && shape[1] == weight.shape[1], "linear slice")
    precondition(weightRows.lowerBound >= 0 && weightRows.upperBound <= weight.shape[0])
    precondition(output.rank == 2 && output.shape[0] == shape[0])
    precondition(column >= 0 && column + weightRows.count <= output.shape[1])
    let (rows, inner, total) = (shape[0], shape[1], output.shape[1])
    output.withUnsafeMutableBufferPointer { out in
      withUnsafeBufferPointer { input in
        weight.withUnsafeBufferPointer { weights in
          let slice = UnsafeBufferPointer(
            rebasing: weights[(weightRows.lowerBound * inner)..<(weightRows.upperBound * inner)])
          let target = UnsafeMutableBufferPointer(rebasing: out[column...])
          Tensor.partitionedGEMM(
            rows: rows, columns: weightRows.count, inner: inner, a: input, lda: inner,
            b: slice, bTransposed: true, c: target, ldc: total, context: context)
        }
      }
    }
  }

  /// The matrix product `self · other` of `[m, k]` and `[k, n]`, giving `[m, n]`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func matmul(_ other: Tensor, context: ComputeContext) -> Tensor {
    precondition(
      rank == 2 && other.rank == 2 && shape[1] == other.shape[0],
      "matmul: \(shape) · \(other.shape)")
    let (rows, inner, columns) = (shape[0], shape[1], other.shape[1])
    var result = Tensor(uninitializedShape: [rows, columns])
    result.withUnsafeMutableBufferPointer { output in
      withUnsafeBufferPointer { input in
        other.withUnsafeBufferPointer { right in
          Tensor.partitionedGEMM(
            rows: rows, columns: columns, inner: inner, a: input, lda: inner,
            b: right, bTransposed: false, c: output, ldc: columns, context: context)
        }
      }
    }
    return result
  }

  /// `C[rows, columns] = A[rows, inner] · op(B)`, row `r` of `C` starting at `c[r · ldc]`.
  ///
  /// Exact profile: the columns are cut into blocks of
  /// ``ComputeContext/exactBlockWidth(columns:)`` (a function of the shape only);
  /// each block is one single-threaded GEMM over all rows, and the blocks are shared out between
  /// threads. Fast profile: one GEMM, OpenBLAS threads it.
  static func partitionedGEMM(
    rows: Int, columns: Int, inner: Int,
    a: UnsafeBufferPointer<Scalar>, lda: Int,
    b: UnsafeBufferPointer<Scalar>, bTransposed: Bool,
    c: UnsafeMutableBufferPointer<Scalar>, ldc: Int, context: ComputeContext
  ) {
    guard rows > 0, columns > 0 else { return }
    precondition(ldc >= columns && c.count >= (rows - 1) * ldc + columns, "GEMM output too small")
    guard inner > 0, let aBase = a.baseAddress, let bBase = b.baseAddress,
      let cBase = c.baseAddress
    else {
      for row in 0..<rows { for column in 0..<columns { c[row * ldc + column] = 0 } }
      return
    }
    context.withBLAS {
      gemmBlocks(
        rows: rows, columns: columns, inner: inner, a: aBase, lda: lda, b: bBase,
        bTransposed: bTransposed, c: cBase, ldc: ldc, context: context)
    }
  }

  /// The body of ``partitionedGEMM``, run under the BLAS lock.
  private static func gemmBlocks(
    rows: Int, columns: Int, inner: Int, a aBase: UnsafePointer<Scalar>, lda: Int,
    b bBase: UnsafePointer<Scalar>, bTransposed: Bool, c cBase: UnsafeMutablePointer<Scalar>,
    ldc: Int, context: ComputeContext
  ) {
    let ldb = bTransposed ? inner : columns
    guard context.profile == .exact else {
      Scalar.gemm(
        m: rows, n: columns, k: inner, alpha: 1, a: aBase, lda: lda, b: bBase, ldb: ldb,
        transposeB: bTransposed, beta: 0, c: cBase, ldc: ldc)
      return
    }
    let width = ComputeContext.exactBlockWidth(columns: columns)
    let blocks = (columns + width - 1) / width
    let (aAddress, bAddress, cAddress) = (
      Int(bitPattern: aBase), Int(bitPattern: bBase),
      Int(bitPattern: cBase)
    )
    WorkerPool.run(blocks: blocks, threads: context.threads) { block in
      let start = block * width
      let blockColumns = min(width, columns - start)
      let a = UnsafePointer<Scalar>(bitPattern: aAddress).unsafelyUnwrapped
      let b = UnsafePointer<Scalar>(bitPattern: bAddress).unsafelyUnwrapped
      let c = UnsafeMutablePointer<Scalar>(bitPattern: cAddress).unsafelyUnwrapped
      // Block j of op(B): rows j… of a transposed [n, k] weight, or columns j… of a [k, n] one.
      let bBlock = bTransposed ? b + start * inner : b + start
      Scalar.gemm(
        m: rows, n: blockColumns, k: inner, alpha: 1, a: a, lda: lda, b: bBlock, ldb: ldb,
        transposeB: bTransposed, beta: 0, c: c + start, ldc: ldc)
    }
  }
}
