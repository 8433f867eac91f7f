import Foundation
import Testing
import VouchEngine
import VouchEngineTestSupport
import VouchTestSupport

/// Every op's backward against Float64 central finite differences (relative error ≤ 1e-6).
@Suite("Backward of each op, checked by finite differences")
struct BackwardTests {
  let context = ComputeContext(profile: .exact, threads: 2)
  let tolerance = 1e-6

  @Test func linear() throws {
    var generator = SeededGenerator(seed: 51)
    let x = GradientCheck.random([3, 5], generator: &generator)
    let w = GradientCheck.random([4, 5], generator: &generator)
    let b = GradientCheck.random([4], generator: &generator)
    let r = GradientCheck.random([3, 4], generator: &generator)
    let grads = Tensor.linearBackward(
      input: x, weight: w, outputGradient: r, hasBias: true, context: context)
    func loss(_ x: Tensor<Double>, _ w: Tensor<Double>, _ b: Tensor<Double>) -> Double {
      GradientCheck.dot(x.linear(weight: w, bias: b, context: context), r)
    }
    let inputError = GradientCheck.relativeError(at: x, analytic: grads.input) { loss($0, w, b) }
    let weightError = GradientCheck.relativeError(at: w, analytic: grads.weight) { loss(x, $0, b) }
    #expect(inputError < tolerance && weightError < tolerance)
    let biasGradient = try #require(grads.bias)
    #expect(
      GradientCheck.relativeError(at: b, analytic: biasGradient) { loss(x, w, $0) } < tolerance)
  }

  @Test func matmul() {
    var generator = SeededGenerator(seed: 52)
    let a = GradientCheck.random([3, 4], generator: &generator)
    let b = GradientCheck.random([4, 2], generator: &generator)
    let r = GradientCheck.random([3, 2], generator: &generator)
    let grads = Tensor.matmulBackward(left: a, right: b, outputGradient: r, context: context)
    #expect(
      GradientCheck.relativeError(at: a, analytic: grads.left) {
        GradientCheck.dot($0.matmul(b, context: context), r)
      } < tolerance)
    #expect(
      GradientCheck.relativeError(at: b, analytic: grads.right) {
        GradientCheck.dot(a.matmul($0, context: context), r)
      } < tolerance)
  }

  @Test func embeddingScatterAdd() {
    var generator = SeededGenerator(seed: 53)
    let table = GradientCheck.random([6, 3], generator: &generator)
    let ids = [1, 4, 1, 0, 1]
    let r = GradientCheck.random([ids.count, 3], generator: &generator)
    let analytic = Tensor.scatterAddRows(r, ids: ids, rows: 6)
    #expect(
      GradientCheck.relativeError(at: table, analytic: analytic) {
        GradientCheck.dot($0.gatherRows(ids), r)
      } < tolerance)
  }

  @Test func rmsNorm() {
    var generator = SeededGenerator(seed: 54)
    let x = GradientCheck.random([3, 6], scale: 2, generator: &generator)
    let g = GradientCheck.random([6], generator: &generator)
    let r = GradientCheck.random([3, 6], generator: &generator)
    let epsilon = 1e-6
    let grads = Tensor.rmsNormBackward(input: x, gain: g, epsilon: epsilon, outputGradient: r)
    #expect(
      GradientCheck.relativeError(at: x, analytic: grads.input) {
        GradientCheck.dot($0.rmsNormalized(gain: g, epsilon: epsilon), r)
      } < tolerance)
    #expect(
      GradientCheck.relativeError(at: g, analytic: grads.gain) {
        GradientCheck.dot(x.rmsNormalized(gain: $0, epsilon: epsilon), r)
      } < tolerance)
  }

  @Test func rope() {
    var generator = SeededGenerator(seed: 55)
    let rope = RotaryEmbedding(headDimension: 4, theta: 10_000)
    let x = GradientCheck.random([3, 8], generator: &generator)
    let r = GradientCheck.random([3, 8], generator: &generator)
    var analytic = r
    rope.applyBackward(to: &analytic, heads: 2, startPosition: 5)
    #expect(
      GradientCheck.relativeError(at: x, analytic: analytic) {
        var y = $0
        rope.apply(to: &y, heads: 2, startPosition: 5)
        return GradientCheck.dot(y, r)
      } < tolerance)
  }

  @Test func silu() {
    var generator = SeededGenerator(seed: 56)
    let x = GradientCheck.random([4, 5], scale: 3, generator: &generator)
    let r = GradientCheck.random([4, 5], generator: &generator)
    let analytic = Tensor.siluBackward(input: x, outputGradient: r)
    #expect(
      GradientCheck.relativeError(at: x, analytic: analytic) { GradientCheck.dot($0.silu(), r) }
        < tolerance)
  }

  /// ReLU: finite differences away from 0, and PyTorch's subgradient 0 at exactly 0.
  @Test func relu() {
    var generator = SeededGenerator(seed: 57)
    let x = GradientCheck.random([4, 5], scale: 3, generator: &generator)
    let r = GradientCheck.random([4, 5], generator: &generator)
    let analytic = Tensor.reluBackward(input: x, outputGradient: r)
    #expect(
      GradientCheck.relativeError(at: x, analytic: analytic) { GradientCheck.dot($0.relu(), r) }
        < tolerance)
    let edges = Tensor<Double>(shape: [3], scalars: [0, -2, 2])
    #expect(edges.relu().scalars == [0, 0, 2])
    let ones = Tensor<Double>(shape: [3], repeating: 1)
    #expect(Tensor.reluBackward(input: edges, outputGradient: ones).scalars == [0, 0, 1])
  }

  /// GQA with 4 query heads on 2 KV heads; full sequence and the cached-suffix layout.
  @Test(arguments: [5, 3])
  func causalAttention(queryCount: Int) {
    var generator = SeededGenerator(seed: 57)
    let (heads, kvHeads, dh, keyCount) = (4, 2, 4, 5)
    let q = GradientCheck.random([queryCount, heads * dh], generator: &generator)
    let k = GradientCheck.random([keyCount, kvHeads * dh], generator: &generator)
    let v = GradientCheck.random([keyCount, kvHeads * dh], generator: &generator)
    let r = GradientCheck.random([queryCount, heads * dh], generator: &generator)
    func loss(_ q: Tensor<Double>, _ k: Tensor<Double>, _ v: Tensor<Double>) -> Double {
      let out = Attention.causal(
        query: q, keys: k, values: v, heads: heads, kvHeads: kvHeads, headDimension: dh,
        context: context)
      return GradientCheck.dot(out, r)
    }
    let grads = Attention.causalBackward(
      query: q, keys: k, values: v, outputGradient: r, heads: heads, kvHeads: kvHeads,
      headDimension: dh, context: context)
    let queryError = GradientCheck.relativeError(at: q, analytic: grads.query) { loss($0, k, v) }
    let keyError = GradientCheck.relativeError(at: k, analytic: grads.keys) { loss(q, $0, v) }
    #expect(queryError < tolerance && keyError < tolerance)
    #expect(
      GradientCheck.relativeError(at: v, analytic: grads.values) { loss(q, k, $0) } < tolerance)
  }

  @Test func attentionBackwardIsThreadCountIndependent() {
    var generator = SeededGenerator(seed: 58)
    let q = GradientCheck.random([7, 32], generator: &generator).converted(to: Float.self)
    let k = GradientCheck.random([7, 16], generator: &generator).converted(to: Float.self)
    let v = GradientCheck.random([7, 16], generator: &generator).converted(to: Float.self)
    let r = GradientCheck.random([7, 32], generator: &generator).converted(to: Float.self)
    let runs = [1, 2, 3].map { threads in
      Attention.causalBackward(
        query: q, keys: k, values: v, outputGradient: r, heads: 4, kvHeads: 2, headDimension: 8,
        context: ComputeContext(profile: .exact, threads: threads))
    }
    for run in runs.dropFirst() {
      #expect(run.query.isBitwiseEqual(to: runs[0].query))
      #expect(run.keys.isBitwiseEqual(to: runs[0].keys))
      #expect(run.values.isBitwiseEqual(to: runs[0].values))
    }
  }

  @Test func crossEntropy() {
    var generator = SeededGenerator(seed: 59)
    let logits = GradientCheck.random([3, 7], scale: 3, generator: &generator)
    let targets = [2, 6, 0]
    let (loss, gradient) = Loss.crossEntropy(logits: logits, targets: targets)
    // Against the definition, row by row.
    var expected = 0.0
    for (row, target) in targets.enumerated() {
      let values = (0..<7).map { logits[row, $0] }
      expected -= values[target] - log(values.map { exp($0) }.reduce(0, +))
    }
    #expect(abs(loss - expected / 3) < 1e-12)
    #expect(
      GradientCheck.relativeError(at: logits, analytic: gradient) {
        Loss.crossEntropy(logits: $0, targets: targets).loss
      } < tolerance)
  }

  @Test func crossEntropyIgnoresMaskedTokens() {
    var generator = SeededGenerator(seed: 61)
    let logits = GradientCheck.random([4, 5], scale: 2, generator: &generator)
    let masked = [Loss.ignoredTarget, 3, Loss.ignoredTarget, 1]
    let (loss, gradient) = Loss.crossEntropy(logits: logits, targets: masked)
    let kept = Loss.crossEntropy(
      logits: logits.rows(1..<2).concatenatingRows(logits.rows(3..<4)), targets: [3, 1])
    #expect(abs(loss - kept.loss) < 1e-15)
    #expect((0..<5).allSatisfy { gradient[0, $0] == 0 && gradient[2, $0] == 0 })
    #expect(abs(gradient[1, 2] - kept.gradient[0, 2]) < 1e-15)
    #expect(
      GradientCheck.relativeError(at: logits, analytic: gradient) {
        Loss.crossEntropy(logits: $0, targets: masked).loss
      } < tolerance)
  }

  @Test func tokenKL() {
    var generator = SeededGenerator(seed: 60)
    let target = GradientCheck.random([3, 6], scale: 2, generator: &generator)
    let model = GradientCheck.random([3, 6], scale: 2, generator: &generator)
    let (loss, gradient) = Loss.tokenKL(targetLogits: target, modelLogits: model)
    #expect(loss > 0)
    #expect(Loss.tokenKL(targetLogits: model, modelLogits: model).loss.magnitude < 1e-15)
    #expect(
      GradientCheck.relativeError(at: model, analytic: gradient) {
        Loss.tokenKL(targetLogits: target, modelLogits: $0).loss
      } < tolerance)
  }
}
