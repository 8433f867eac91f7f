/// Causal grouped-query scaled dot-product attention.
public enum Attention {
  /// Attends `query` rows to all earlier-or-equal `keys`/`values` rows, per head.
  ///
  /// Query row `i` sits at position `keyCount − queryCount + i` (the queries are the last rows of
  /// the key sequence, as in KV-cached decoding). Query head `h` reads KV head `h / (heads /
  /// kvHeads)` (repeat-interleave order, as transformers' `repeat_kv`). Scores are scaled by
  /// `1/√headDimension` and soft-maxed over the visible keys only.
  ///
  /// Work is split by head (a fixed partition), so results do not depend on `context.threads`.
  /// - Parameters:
  ///   - query: `[queryCount, heads · headDimension]`.
  ///   - keys: `[keyCount, kvHeads · headDimension]`.
  ///   - values: `[keyCount, kvHeads · headDimension]`.
  ///   - keyCount: how many leading rows of `keys`/`values` to use (default: all), so a cache can
  ///     keep spare capacity.
  ///   - heads: query heads.
  ///   - kvHeads: key/value heads (divides `heads`).
  ///   - headDimension: dimensions per head.
  ///   - context: profile and threads.
  /// - Returns: `[queryCount, heads · headDimension]`, heads concatenated in head order.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func causal<Scalar: TensorScalar>(
    query: Tensor<Scalar>, keys: Tensor<Scalar>, values: Tensor<Scalar>,
    keyCount: Int? = nil, heads: Int, kvHeads: Int, headDimension: Int,
    context: ComputeContext
  ) -> Tensor<Scalar> {
    precondition(heads % kvHeads == 0, "\(heads) query heads for \(kvHeads) KV heads")
    let queryWidth = heads * headDimension
    let kvWidth = kvHeads * headDimension
    precondition(query.rank == 2 && query.shape[1] == queryWidth, "query \(query.shape)")
    precondition(
      keys.shape == values.shape && keys.rank == 2 && keys.shape[1] == kvWidth,
      "keys \(keys.shape) values \(values.shape)")
    let queryCount = query.shape[0]
    let usedKeys = keyCount ?? keys.shape[0]
    precondition(usedKeys <= keys.shape[0], "usedKeys \(usedKeys) beyond \(keys.shape[0]) rows")
    precondition(queryCount <= usedKeys, "more queries than keys")
    let group = heads / kvHeads
    let scale = Scalar(1 / Double(headDimension).squareRoot())
    var output = Tensor<Scalar>(shape: [queryCount, queryWidth])
    guard queryCount > 0 else { return output }
    let threads = context.profile == .exact ? context.threads : 1
    context.withBLAS {
      output.withUnsafeMutableBufferPointer { out in
        query.withUnsafeBufferPointer { q in
          keys.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
              let addresses = (
                Int(bitPattern: q.baseAddress), Int(bitPattern: k.baseAddress),
                Int(bitPattern: v.baseAddress), Int(bitPattern: out.baseAddress)
              )
              WorkerPool.run(blocks: heads, threads: threads) { head in
                let kvHead = head / group
                let qHead =
                  UnsafePointer<Scalar>(bitPattern: addresses.0).unsafelyUnwrapped
                  + head * headDimension
                let kHead =
                  UnsafePointer<Scalar>(bitPattern: addresses.1).unsafelyUnwrapped
                  + kvHead * headDimension
                let vHead =
                  UnsafePointer<Scalar>(bitPattern: addresses.2).unsafelyUnwrapped
                  + kvHead * headDimension
                let oHead =
                  UnsafeMutablePointer<Scalar>(bitPattern: addresses.3).unsafelyUnwrapped
                  + head * headDimension
                let scores = UnsafeMutablePointer<Scalar>.allocate(capacity: queryCount * usedKeys)
                defer { scores.deallocate() }
                Scalar.gemm(
                  m: queryCount, n: usedKeys, k: headDimension, alpha: scale, a: qHead,
                  lda: queryWidth, b: kHead, ldb: kvWidth, transposeB: true, beta: 0, c: scores,
                  ldc: usedKeys)
                for row in 0..<queryCount {
                  let visible = usedKeys - queryCount + row + 1
                  let rowStart = scores + row * usedKeys
                  Tensor<Scalar>.softmaxInPlace(rowStart, count: visible)
                  for column in visible..<usedKeys { rowStart[column] = 0 }
                }
                Scalar.gemm(
                  m: queryCount, n: headDimension, k: usedKeys, alpha: 1, a: scores, lda: usedKeys,
                  b: vHead, ldb: kvWidth, transposeB: false, beta: 0, c: oHead, ldc: queryWidth)
              }
            }
          }
        }
      }
    }
    return output
  }
}
