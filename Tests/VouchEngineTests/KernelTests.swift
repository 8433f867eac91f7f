import Testing
import VouchEngine
import VouchTestSupport

@Suite("Kernels against naive Double references")
struct KernelTests {
  @Test(arguments: [ComputeProfile.exact, .fast], [(1, 5, 3), (7, 33, 300), (4, 16, 128)])
  func linearMatchesNaive(profile: ComputeProfile, dims: (Int, Int, Int)) {
    var generator = SeededGenerator(seed: 11)
    let (rows, inner, out) = dims
    let x = randomTensor([rows, inner], generator: &generator)
    let w = randomTensor([out, inner], generator: &generator)
    let b = randomTensor([out], generator: &generator)
    let y = x.linear(weight: w, bias: b, context: ComputeContext(profile: profile, threads: 2))
    let expected = Naive.linear(
      x.scalars.map(Double.init), rows: rows, inner: inner,
      w.scalars.map(Double.init), out: out, bias: b.scalars.map(Double.init))
    #expect(y.shape == [rows, out])
    #expect(maxError(y, expected) < 1e-4)
  }

  @Test func doubleLinearAndMatmulUseDGEMM() {
    var generator = SeededGenerator(seed: 12)
    let x = randomTensor([3, 200], generator: &generator).converted(to: Double.self)
    let w = randomTensor([150, 200], generator: &generator).converted(to: Double.self)
    let y = x.linear(weight: w, context: .reference)
    let expected = Naive.linear(x.scalars, rows: 3, inner: 200, w.scalars, out: 150, bias: nil)
    let error = zip(y.scalars, expected).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
    #expect(error < 1e-12)
    // matmul(a, b) equals linear(a, bᵀ).
    let transposed = Tensor<Double>(shape: [200, 150]) { out in
      for r in 0..<150 { for c in 0..<200 { out[c * 150 + r] = w[r, c] } }
    }
    let product = x.matmul(transposed, context: ComputeContext(profile: .exact, threads: 2))
    #expect(product.maxAbsoluteDifference(y) < 1e-12)
  }

  /// One-row products (a decoding step) go through GEMV, not GEMM: both layouts of the right
  /// operand, several exact blocks, the same bits on one and two threads.
  @Test func oneRowProductsUseGEMV() {
    var generator = SeededGenerator(seed: 14)
    let x = randomTensor([1, 96], generator: &generator).converted(to: Double.self)
    let w = randomTensor([700, 96], generator: &generator).converted(to: Double.self)
    let expected = Naive.linear(x.scalars, rows: 1, inner: 96, w.scalars, out: 700, bias: nil)
    let one = ComputeContext(profile: .exact, threads: 1)
    let two = ComputeContext(profile: .exact, threads: 2)
    let y = x.linear(weight: w, context: two)
    #expect(zip(y.scalars, expected).allSatisfy { abs($0 - $1) < 1e-12 })
    #expect(y.scalars == x.linear(weight: w, context: one).scalars)
    let transposed = Tensor<Double>(shape: [96, 700]) { out in
      for r in 0..<700 { for c in 0..<96 { out[c * 700 + r] = w[r, c] } }
    }
    let product = x.matmul(transposed, context: two)
    #expect(product.maxAbsoluteDifference(y) < 1e-12)
    #expect(product.scalars == x.matmul(transposed, context: one).scalars)
    let single = x.converted(to: Float.self).linear(
      weight: w.converted(to: Float.self), context: .init(profile: .fast, threads: 2))
    #expect(maxError(single, expected) < 1e-4)
  }

  @Test func rmsNormMatchesFormula() {
    var generator = SeededGenerator(seed: 13)
    let x = randomTensor([3, 24], scale: 2, generator: &generator)
    let gain = randomTensor([24], generator: &generator)
    let y = x.rmsNormalized(gain: gain, epsilon: 1e-6)
    var expected = [Double]()
    for r in 0..<3 {
      let row = (0..<24).map { Double(x[r, $0]) }
      let scale = 1 / (row.map { $0 * $0 }.reduce(0, +) / 24 + 1e-6).squareRoot()
      expected += (0..<24).map { Double(gain[$0]) * row[$0] * scale }
    }
    #expect(maxError(y, expected) < 1e-5)
  }

  @Test func softmaxAndSiLU() {
    let x = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, -1, 0, 1000])
    let p = x.softmax()
    let e = [1.0, Double.exponential(1), Double.exponential(2)]
    let expected = e.map { $0 / e.reduce(0, +) } + [0, 0, 1]
    #expect(maxError(p, expected) < 1e-6)
    let s = Tensor<Float>(shape: [4], scalars: [-2, 0, 1, 5]).silu()
    let reference = [-2.0, 0, 1, 5].map { $0 / (1 + Double.exponential(-$0)) }
    #expect(maxError(s, reference) < 1e-6)
  }

  @Test func ropeRotatesHalfSplitPairs() {
    var generator = SeededGenerator(seed: 14)
    let (tokens, heads, dh) = (3, 2, 8)
    let x = randomTensor([tokens, heads * dh], generator: &generator)
    var rotated = x
    let rope = RotaryEmbedding(headDimension: dh, theta: 10_000)
    rope.apply(to: &rotated, heads: heads, startPosition: 5)
    var expected = [Double]()
    for t in 0..<tokens {
      for h in 0..<heads {
        let z = (0..<dh).map { Double(x[t, h * dh + $0]) }
        let rotateHalf = (0..<dh).map { $0 < dh / 2 ? -z[$0 + dh / 2] : z[$0 - dh / 2] }
        for i in 0..<dh {
          let frequency = 1 / Double.power(10_000, Double(2 * (i % (dh / 2))) / Double(dh))
          let angle = Double(5 + t) * frequency
          expected.append(z[i] * Double.cosine(angle) + rotateHalf[i] * Double.sine(angle))
        }
      }
    }
    #expect(maxError(rotated, expected) < 1e-5)
  }

  @Test func gatherRowsPicksEmbeddings() {
    let table = Tensor<Float>(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])
    #expect(table.gatherRows([2, 0, 2]).scalars == [20, 21, 0, 1, 20, 21])
  }

  @Test(arguments: [(5, 5), (1, 6), (3, 9)])
  func attentionMatchesNaive(queries: Int, keys: Int) {
    var generator = SeededGenerator(seed: 15)
    let (heads, kvHeads, dh) = (6, 2, 4)
    let q = randomTensor([queries, heads * dh], generator: &generator)
    let k = randomTensor([keys, kvHeads * dh], generator: &generator)
    let v = randomTensor([keys, kvHeads * dh], generator: &generator)
    let out = Attention.causal(
      query: q, keys: k, values: v, heads: heads, kvHeads: kvHeads,
      headDimension: dh, context: ComputeContext(profile: .exact, threads: 2))
    let expected = Naive.attention(
      q: q.scalars.map(Double.init), k: k.scalars.map(Double.init),
      v: v.scalars.map(Double.init), queries: queries, keys: keys, heads: heads,
      kvHeads: kvHeads, dh: dh)
    #expect(maxError(out, expected) < 1e-5)
  }
}

@Suite("Sliced dense layers")
struct SlicedLinearTests {
  @Test(arguments: [ComputeProfile.exact, .fast])
  func aSliceWritesTheColumnsTheWholeLayerWould(profile: ComputeProfile) {
    var generator = SeededGenerator(seed: 31)
    let x = randomTensor([5, 24], generator: &generator)
    let w = randomTensor([700, 24], generator: &generator)
    let context = ComputeContext(profile: profile, threads: 2)
    var sliced = Tensor<Float>(shape: [5, 700], repeating: .nan)
    for start in stride(from: 0, to: 700, by: 300) {
      let end = min(700, start + 300)
      x.linear(weight: w, rows: start..<end, into: &sliced, column: start, context: context)
      // The same slice from a tensor holding only those rows gives the same bits.
      var alone = Tensor<Float>(shape: [5, end - start])
      x.linear(
        weight: w.rows(start..<end), rows: 0..<(end - start), into: &alone, column: 0,
        context: context)
      #expect(alone.isBitwiseEqual(to: x.linear(weight: w.rows(start..<end), context: context)))
    }
    let expected = Naive.linear(
      x.scalars.map(Double.init), rows: 5, inner: 24, w.scalars.map(Double.init), out: 700,
      bias: nil)
    #expect(maxError(sliced, expected) < 1e-4)
  }
}
