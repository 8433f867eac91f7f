import Testing
import VouchEngine
import VouchTestSupport

@testable import VouchModels

@Suite("Generation")
struct GenerationTests {
  private func model() throws -> Qwen2Model {
    try Qwen2Model(directory: Qwen2Reference.directory("tied-f32-gqa"), residency: .resident)
  }

  @Test func greedyFollowsTheArgmaxOfTheFullForward() throws {
    let model = try model()
    let prompt = [1, 5, 17]
    let generated = try model.generate(
      prompt: prompt, parameters: GenerationParameters(maxNewTokens: 6), context: .reference)
    #expect(generated.count == 6)
    var sequence = prompt
    for token in generated {
      let logits = try model.forward(sequence, context: .reference).logits
      let last = logits.rows((sequence.count - 1)..<sequence.count).scalars
      #expect(token == TokenSampler.argmax(last))
      sequence.append(token)
    }
  }

  @Test(arguments: Qwen2Reference.names)
  func greedyMatchesTransformersGenerate(name: String) throws {
    let reference = try Qwen2Reference.load(name)
    let model = try Qwen2Model(directory: Qwen2Reference.directory(name), residency: .resident)
    let generated = try model.generate(
      prompt: reference.greedyPrompt,
      parameters: GenerationParameters(maxNewTokens: 8, stopTokens: [2]), context: .reference)
    #expect(generated == reference.greedyGenerated)
  }

  @Test func samplingIsDeterministicPerSeed() throws {
    let model = try model()
    func run(_ seed: UInt64, threads: Int) throws -> [Int] {
      try model.generate(
        prompt: [1, 9],
        parameters: GenerationParameters(maxNewTokens: 12, temperature: 1.5, seed: seed),
        context: ComputeContext(profile: .exact, threads: threads))
    }
    let first = try run(42, threads: 1)
    #expect(try run(42, threads: 2) == first)
    let others = try (43..<47).map { try run($0, threads: 1) }
    #expect(others.contains { $0 != first })
  }

  @Test func stopsAtAStopToken() throws {
    let model = try model()
    let free = try model.generate(
      prompt: [1], parameters: GenerationParameters(maxNewTokens: 8, temperature: 1, seed: 3),
      context: .reference)
    let stop = free[2]
    let stopped = try model.generate(
      prompt: [1],
      parameters: GenerationParameters(
        maxNewTokens: 8, temperature: 1, seed: 3, stopTokens: [stop]),
      context: .reference)
    let firstStop = free.firstIndex(of: stop) ?? 0
    #expect(stopped == Array(free.prefix(firstStop + 1)))
  }

  @Test func samplerFollowsTheDistribution() {
    var sampler = TokenSampler(
      parameters: GenerationParameters(maxNewTokens: 1, temperature: 1, seed: 9))
    let logits: [Float] = [0, Float(2.0).squareRoot(), -50]  // p ≈ [0.195, 0.805, 0]
    var counts = [0, 0, 0]
    for _ in 0..<4000 { counts[sampler.next(logits: logits)] += 1 }
    #expect(counts[2] == 0)
    #expect(abs(Double(counts[1]) / 4000 - 0.8044) < 0.03)
  }
}
