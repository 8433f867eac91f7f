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
    let rows = count / max(1, inner)
    var result = Tensor(shape: Array(shape.dropLast()) + [outer])
    result.withUnsafeMutableBufferPointer { output in
      withUnsafeBufferPointer { input in
        weight.withUnsafeBufferPointer { weights in
          Tensor.partitionedGEMM(
            rows: rows, columns: outer, inner: inner, a: input, lda: inner,
            b: weights, bTransposed: true, c: output, context: context)
        }
      }
    }
    if let bias {
      precondition(bias.shape == [outer], "linear: bias \(bias.shape) for \(outer) outputs")
      result.addRowVector(bias)
    }
    return result
  }

  /// The matrix product `self · other` of `[m, k]` and `[k, n]`, giving `[m, n]`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func matmul(_ other: Tensor, context: ComputeContext) -> Tensor {
    precondition(
      rank == 2 && other.rank == 2 && shape[1] == other.shape[0],
      "matmul: \(shape) · \(other.shape)")
    let (rows, inner, columns) = (shape[0], shape[1], other.shape[1])
    var result = Tensor(shape: [rows, columns])
    result.withUnsafeMutableBufferPointer { output in
      withUnsafeBufferPointer { input in
        other.withUnsafeBufferPointer { right in
          Tensor.partitionedGEMM(
            rows: rows, columns: columns, inner: inner, a: input, lda: inner,
            b: right, bTransposed: false, c: output, context: context)
        }
      }
    }
    return result
  }

  /// `C[rows, columns] = A[rows, inner] · op(B)` with `C` densely packed (`ldc = columns`).
  ///
  /// Exact profile: the columns are cut into blocks of
  /// ``ComputeContext/exactBlockWidth(columns:)`` (a function of the shape only);
  /// each block is one single-threaded GEMM over all rows, and the blocks are shared out between
  /// threads. Fast profile: one GEMM, OpenBLAS threads it.
  static func partitionedGEMM(
    rows: Int, columns: Int, inner: Int,
    a: UnsafeBufferPointer<Scalar>, lda: Int,
    b: UnsafeBufferPointer<Scalar>, bTransposed: Bool,
    c: UnsafeMutableBufferPointer<Scalar>, context: ComputeContext
  ) {
    guard rows > 0, columns > 0 else { return }
    guard inner > 0, let aBase = a.baseAddress, let bBase = b.baseAddress,
      let cBase = c.baseAddress
    else {
      for index in c.indices { c[index] = 0 }
      return
    }
    context.configureBLAS()
    let ldb = bTransposed ? inner : columns
    guard context.profile == .exact else {
      Scalar.gemm(
        m: rows, n: columns, k: inner, alpha: 1, a: aBase, lda: lda, b: bBase, ldb: ldb,
        transposeB: bTransposed, beta: 0, c: cBase, ldc: columns)
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
        transposeB: bTransposed, beta: 0, c: c + start, ldc: columns)
    }
  }
}
