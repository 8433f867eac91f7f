import Dispatch
import Testing
import VouchEngine
import VouchTestSupport

@Suite("Exact profile: identical bits for any thread count")
struct DeterminismTests {
  @Test(arguments: [(1, 64, 129), (9, 96, 700), (33, 128, 256), (5, 32, 2000)])
  func linearIsBitwiseIdenticalForOneAndTwoThreads(dims: (Int, Int, Int)) {
    var generator = SeededGenerator(seed: 21)
    let (rows, inner, out) = dims
    let x = randomTensor([rows, inner], generator: &generator)
    let w = randomTensor([out, inner], generator: &generator)
    let one = x.linear(weight: w, context: ComputeContext(profile: .exact, threads: 1))
    let two = x.linear(weight: w, context: ComputeContext(profile: .exact, threads: 2))
    let three = x.linear(weight: w, context: ComputeContext(profile: .exact, threads: 3))
    #expect(one.isBitwiseEqual(to: two))
    #expect(one.isBitwiseEqual(to: three))
  }

  @Test func attentionIsBitwiseIdenticalForOneAndTwoThreads() {
    var generator = SeededGenerator(seed: 22)
    let q = randomTensor([17, 8 * 16], generator: &generator)
    let k = randomTensor([17, 2 * 16], generator: &generator)
    let v = randomTensor([17, 2 * 16], generator: &generator)
    func run(_ threads: Int) -> Tensor<Float> {
      Attention.causal(
        query: q, keys: k, values: v, heads: 8, kvHeads: 2, headDimension: 16,
        context: ComputeContext(profile: .exact, threads: threads))
    }
    #expect(run(1).isBitwiseEqual(to: run(2)))
  }

  /// OpenBLAS's thread count is process-wide: fast products running concurrently must not leak
  /// their thread count into exact ones (the BLAS lock serialises them).
  @Test func exactBitsSurviveConcurrentFastWork() {
    var generator = SeededGenerator(seed: 23)
    let x = randomTensor([384, 384], generator: &generator)
    let w = randomTensor([384, 384], generator: &generator)
    let reference = x.linear(weight: w, context: .reference)
    let results = UnsafeMutableBufferPointer<Tensor<Float>>.allocate(capacity: 8)
    results.initialize(repeating: Tensor(shape: [0]))
    defer { results.deallocate() }
    let address = Int(bitPattern: results.baseAddress)
    DispatchQueue.concurrentPerform(iterations: 8) { index in
      let profile: ComputeProfile = index % 2 == 0 ? .exact : .fast
      let y = x.linear(weight: w, context: ComputeContext(profile: profile, threads: 2))
      UnsafeMutablePointer<Tensor<Float>>(bitPattern: address).unsafelyUnwrapped[index] = y
    }
    for index in stride(from: 0, to: 8, by: 2) {
      #expect(results[index].isBitwiseEqual(to: reference))
    }
  }

  @Test func randomStreamsAreKeyedBySeedAndPurpose() {
    var a = RandomStream(seed: 7, purpose: "sampling")
    var b = RandomStream(seed: 7, purpose: "sampling")
    let first = (0..<5).map { _ in a.next() }
    #expect(first == (0..<5).map { _ in b.next() })
    #expect(RandomStream(seed: 7, purpose: "init").value(at: 0) != first[0])
    #expect(RandomStream(seed: 8, purpose: "sampling").value(at: 0) != first[0])
    #expect(RandomStream(seed: 7, purpose: "sampling", counter: 3).value(at: 3) == first[3])
    var unit = RandomStream(seed: 1, purpose: "u")
    let draws = (0..<1000).map { _ in unit.nextUnit() }
    #expect(draws.allSatisfy { $0 >= 0 && $0 < 1 })
    #expect(abs(draws.reduce(0, +) / 1000 - 0.5) < 0.05)
  }
}
