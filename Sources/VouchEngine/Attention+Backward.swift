// Backward of causal GQA attention (Attention.swift), recomputing the probabilities.
extension Attention {
  /// Gradients of ``causal(query:keys:values:keyCount:heads:kvHeads:headDimension:context:)``
  /// with all key rows used.
  ///
  /// Per query head `h` reading KV head `h / (heads / kvHeads)`, with `P` the masked softmax of
  /// `S = scale · Q_h K_hᵀ`:
  /// ```
  /// ∂P = ∂O_h · V_hᵀ;  ∂S = P ⊙ (∂P − rowsum(∂P ⊙ P))   (masked entries 0)
  /// ∂Q_h = scale · ∂S · K_h;  ∂K_h += scale · ∂Sᵀ · Q_h;  ∂V_h += Pᵀ · ∂O_h
  /// ```
  /// Under ``BackwardRule/relp`` the pattern `P` is frozen: `∂S = 0`, so `∂Q = ∂K = 0` and only
  /// `∂V` flows (through the OV path).
  ///
  /// Heads are shared out between threads as a fixed partition; each query head writes its own
  /// `∂K`/`∂V` scratch, and the heads of one KV group are then summed in head order on one
  /// thread, so the result does not depend on the thread count.
  /// - Parameters:
  ///   - query: `[queryCount, heads · headDimension]` (after RoPE).
  ///   - keys: `[keyCount, kvHeads · headDimension]` (after RoPE).
  ///   - values: `[keyCount, kvHeads · headDimension]`.
  ///   - outputGradient: `∂L/∂O`, `[queryCount, heads · headDimension]`.
  ///   - heads: query heads.
  ///   - kvHeads: key/value heads (divides `heads`).
  ///   - headDimension: dimensions per head.
  ///   - rule: exact (default) or RelP's frozen pattern.
  ///   - context: profile and threads.
  /// - Returns: `∂L/∂query`, `∂L/∂keys`, `∂L/∂values`, shaped like the inputs.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func causalBackward<Scalar: TensorScalar>(
    query: Tensor<Scalar>, keys: Tensor<Scalar>, values: Tensor<Scalar>,
    outputGradient: Tensor<Scalar>, heads: Int, kvHeads: Int, headDimension: Int,
    rule: BackwardRule = .exact, context: ComputeContext
  ) -> (query: Tensor<Scalar>, keys: Tensor<Scalar>, values: Tensor<Scalar>) {
    precondition(heads % kvHeads == 0, "\(heads) query heads for \(kvHeads) KV heads")
    let (queryWidth, kvWidth) = (heads * headDimension, kvHeads * headDimension)
    precondition(query.shape[1] == queryWidth && outputGradient.shape == query.shape, "query")
    precondition(keys.shape == values.shape && keys.shape[1] == kvWidth, "keys/values")
    let (queryCount, keyCount) = (query.shape[0], keys.shape[0])
    precondition(queryCount <= keyCount, "more queries than keys")
    let group = heads / kvHeads
    let scale = Scalar(1 / Double(headDimension).squareRoot())
    let frozenPattern = rule == .relp
    var queryGradient = Tensor<Scalar>(shape: query.shape)
    // Per query head: ∂K and ∂V of its KV head, `[heads, keyCount, headDimension]` each.
    var keyScratch = Tensor<Scalar>(shape: [heads, keyCount, headDimension])
    var valueScratch = Tensor<Scalar>(shape: [heads, keyCount, headDimension])
    guard queryCount > 0 else { return (queryGradient, keys.scaled(by: 0), values.scaled(by: 0)) }
    let threads = context.profile == .exact ? context.threads : 1
    let addresses = (
      query.address, keys.address, values.address, outputGradient.address,
      queryGradient.mutableAddress(), keyScratch.mutableAddress(), valueScratch.mutableAddress()
    )
    context.withBLAS {
      WorkerPool.run(blocks: heads, threads: threads) { head in
        let kvHead = head / group
        let q =
          UnsafePointer<Scalar>(bitPattern: addresses.0).unsafelyUnwrapped
          + head * headDimension
        let k =
          UnsafePointer<Scalar>(bitPattern: addresses.1).unsafelyUnwrapped
          + kvHead * headDimension
        let v =
          UnsafePointer<Scalar>(bitPattern: addresses.2).unsafelyUnwrapped
          + kvHead * headDimension
        let dO =
          UnsafePointer<Scalar>(bitPattern: addresses.3).unsafelyUnwrapped
          + head * headDimension
        let dQ =
          UnsafeMutablePointer<Scalar>(bitPattern: addresses.4).unsafelyUnwrapped
          + head * headDimension
        let dK =
          UnsafeMutablePointer<Scalar>(bitPattern: addresses.5).unsafelyUnwrapped
          + head * keyCount * headDimension
        let dV =
          UnsafeMutablePointer<Scalar>(bitPattern: addresses.6).unsafelyUnwrapped
          + head * keyCount * headDimension
        let cells = queryCount * keyCount
        let p = UnsafeMutablePointer<Scalar>.allocate(capacity: cells)
        let dS = UnsafeMutablePointer<Scalar>.allocate(capacity: cells)
        let transposed = UnsafeMutablePointer<Scalar>.allocate(capacity: cells)
        defer {
          p.deallocate()
          dS.deallocate()
          transposed.deallocate()
        }
        Scalar.gemm(
          m: queryCount, n: keyCount, k: headDimension, alpha: scale, a: q, lda: queryWidth,
          b: k, ldb: kvWidth, transposeB: true, beta: 0, c: p, ldc: keyCount)
        Scalar.gemm(
          m: queryCount, n: keyCount, k: headDimension, alpha: 1, a: dO, lda: queryWidth,
          b: v, ldb: kvWidth, transposeB: true, beta: 0, c: dS, ldc: keyCount)
        for row in 0..<queryCount {
          let visible = keyCount - queryCount + row + 1
          let (pRow, dRow) = (p + row * keyCount, dS + row * keyCount)
          Tensor<Scalar>.softmaxInPlace(pRow, count: visible)
          if frozenPattern {
            for column in 0..<visible { dRow[column] = 0 }
          } else {
            Tensor<Scalar>.softmaxBackwardInPlace(
              probabilities: pRow, gradient: dRow, count: visible)
          }
          for column in visible..<keyCount {
            pRow[column] = 0
            dRow[column] = 0
          }
        }
        Scalar.gemm(
          m: queryCount, n: headDimension, k: keyCount, alpha: scale, a: dS, lda: keyCount,
          b: k, ldb: kvWidth, transposeB: false, beta: 0, c: dQ, ldc: queryWidth)
        transpose(dS, rows: queryCount, columns: keyCount, into: transposed)
        Scalar.gemm(
          m: keyCount, n: headDimension, k: queryCount, alpha: scale, a: transposed,
          lda: queryCount, b: q, ldb: queryWidth, transposeB: false, beta: 0, c: dK,
          ldc: headDimension)
        transpose(p, rows: queryCount, columns: keyCount, into: transposed)
        Scalar.gemm(
          m: keyCount, n: headDimension, k: queryCount, alpha: 1, a: transposed,
          lda: queryCount, b: dO, ldb: queryWidth, transposeB: false, beta: 0, c: dV,
          ldc: headDimension)
      }
    }
    let keyGradient = sumGroups(keyScratch, kvHeads: kvHeads, group: group)
    let valueGradient = sumGroups(valueScratch, kvHeads: kvHeads, group: group)
    return (queryGradient, keyGradient, valueGradient)
  }

  /// `[heads, keyCount, d_h]` per-query-head gradients → `[keyCount, kvHeads · d_h]`, the heads of
  /// each group added in head order.
  private static func sumGroups<Scalar: TensorScalar>(
    _ scratch: Tensor<Scalar>, kvHeads: Int, group: Int
  ) -> Tensor<Scalar> {
    let (keyCount, headDimension) = (scratch.shape[1], scratch.shape[2])
    let width = kvHeads * headDimension
    return Tensor(shape: [keyCount, width]) { out in
      scratch.withUnsafeBufferPointer { source in
        for head in 0..<(kvHeads * group) {
          let kvHead = head / group
          for row in 0..<keyCount {
            for column in 0..<headDimension {
              out[row * width + kvHead * headDimension + column] +=
                source[(head * keyCount + row) * headDimension + column]
            }
          }
        }
      }
    }
  }

  /// Writes the transpose of a `[rows, columns]` block into `target` (`[columns, rows]`).
  private static func transpose<Scalar: TensorScalar>(
    _ source: UnsafePointer<Scalar>, rows: Int, columns: Int,
    into target: UnsafeMutablePointer<Scalar>
  ) {
    for row in 0..<rows {
      for column in 0..<columns { target[column * rows + row] = source[row * columns + column] }
    }
  }
}

extension Tensor {
  /// The element buffer's address, for handing a read-only view to worker threads.
  var address: Int { withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } }

  /// Makes the buffer unique and returns its address, for worker threads that write disjoint
  /// parts of it while `self` stays alive and untouched.
  mutating func mutableAddress() -> Int {
    withUnsafeMutableBufferPointer { Int(bitPattern: $0.baseAddress) }
  }
}
