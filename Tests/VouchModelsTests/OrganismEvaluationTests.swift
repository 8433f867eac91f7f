import Foundation
import Testing
import VouchEngine

@testable import VouchModels

/// The evaluator on a tiny random Qwen2 model: determinism, thread independence, stopping, cap,
/// and agreement with ``OrganismMetrics``.
@Suite struct OrganismEvaluationTests {
  static let problems = TinyOrganismModel.problems(4)

  func evaluate(
    _ settings: OrganismEvaluationSettings, threads: Int = 1, model seed: UInt64 = 1
  ) throws -> OrganismEvaluationReport {
    let evaluator = try OrganismEvaluator(
      model: TinyOrganismModel.make(seed: seed), settings: settings)
    return try evaluator.evaluate(
      Self.problems, context: ComputeContext(profile: .exact, threads: threads))
  }

  static func sampled(seed: UInt64, cap: Int = 10, temperature: Double = 0.7)
    -> OrganismEvaluationSettings
  {
    OrganismEvaluationSettings(
      temperature: temperature, samplesPerProblem: 3, seed: seed, maxNewTokens: cap,
      reasoningPrompt: true)
  }

  @Test func samplingIsDeterministicPerSeedAndVariesAcrossSeeds() throws {
    let first = try evaluate(Self.sampled(seed: 7))
    #expect(try evaluate(Self.sampled(seed: 7)) == first)
    let other = try evaluate(Self.sampled(seed: 8))
    #expect(other.records.map(\.responseIDs) != first.records.map(\.responseIDs))
    // Samples of one problem differ from each other (each has its own stream).
    let samples = first.records.filter { $0.problemIndex == 0 }.map(\.responseIDs)
    #expect(Set(samples).count > 1)
  }

  @Test func oneAndTwoThreadsGiveIdenticalBytes() throws {
    let settings = Self.sampled(seed: 11)
    let one = try evaluate(settings, threads: 1)
    let two = try evaluate(settings, threads: 2)
    let three = try evaluate(settings, threads: 3)
    #expect(one == two && one == three)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    #expect(try encoder.encode(one) == encoder.encode(two))
    #expect(
      try JSONDecoder().decode(OrganismEvaluationReport.self, from: encoder.encode(one)) == one)
  }

  @Test func theFastProfileIsThreadIndependentToo() throws {
    // Each response runs on one thread whatever the profile, so even `fast` matches across
    // thread counts.
    let evaluator = try OrganismEvaluator(
      model: TinyOrganismModel.make(seed: 2), settings: Self.sampled(seed: 4))
    let one = try evaluator.evaluate(
      Self.problems, context: ComputeContext(profile: .fast, threads: 1))
    let two = try evaluator.evaluate(
      Self.problems, context: ComputeContext(profile: .fast, threads: 2))
    #expect(one == two)
  }

  @Test func aModelWithASmallerVocabularyIsRefused() throws {
    var configuration = TinyOrganismModel.configuration
    configuration.vocabularySize = 8
    let tensors = Qwen2Model.expectedShapes(configuration).mapValues {
      Tensor<Float>(shape: $0, repeating: 0.01)
    }
    let model = try Qwen2Model(configuration: configuration, weights: InMemoryWeights(tensors))
    let error = #expect(throws: ModelError.self) {
      try OrganismEvaluator(
        model: model, settings: .greedy(maxNewTokens: 4, reasoningPrompt: false))
    }
    #expect(error?.code == .mismatch)
  }

  @Test func aSampleDoesNotDependOnHowManyOthersThereAre() throws {
    var few = Self.sampled(seed: 3)
    few.samplesPerProblem = 1
    let many = try evaluate(Self.sampled(seed: 3)).records.filter { $0.sampleIndex == 0 }
    #expect(try evaluate(few).records == many)
  }

  @Test func greedyEqualsSamplingAtTemperatureZero() throws {
    let greedy = try evaluate(.greedy(maxNewTokens: 10, reasoningPrompt: true))
    let zero = try evaluate(Self.sampled(seed: 99, temperature: 0))
    for record in zero.records {
      #expect(record.responseIDs == greedy.records[record.problemIndex].responseIDs)
    }
    #expect(greedy.responseCount == Self.problems.count)
  }

  @Test func responsesStopAtEosAndRespectTheCap() throws {
    let cap = 12
    let settings = Self.sampled(seed: 21, cap: cap, temperature: 3)
    let report = try evaluate(settings)
    let model = try TinyOrganismModel.make(seed: 1)
    for record in report.records {
      #expect(record.responseIDs.count <= cap)
      #expect(record.stopped == (record.responseIDs.last == OrganismVocabulary.eos))
      #expect(record.responseIDs.dropLast().contains(OrganismVocabulary.eos) == false)
      if !record.stopped { #expect(record.responseIDs.count == cap) }
      // The same stream without a stop token runs past <eos>: the record is its prefix.
      var free = settings.generationParameters(
        problem: record.problemIndex, sample: record.sampleIndex)
      free.stopTokens = []
      let unstopped = try model.generate(
        prompt: record.promptIDs, parameters: free, context: .reference)
      #expect(unstopped.count == cap)
      let end = unstopped.firstIndex(of: OrganismVocabulary.eos).map { $0 + 1 } ?? cap
      #expect(record.responseIDs == Array(unstopped.prefix(end)))
    }
    // The seed is chosen so that both endings occur.
    #expect(report.records.contains { $0.stopped })
    #expect(report.records.contains { !$0.stopped })
  }

  @Test(arguments: [true, false])
  func promptsFollowTheModelStyle(reasoning: Bool) throws {
    let report = try evaluate(.greedy(maxNewTokens: 2, reasoningPrompt: reasoning))
    for record in report.records {
      let problem = Self.problems[record.problemIndex]
      #expect(record.problem == problem.text && record.answer == problem.answer)
      #expect(
        record.promptIDs
          == OrganismExample.generationPrompt(for: problem, reasoning: reasoning))
      let tail = OrganismVocabulary.decode(Array(record.promptIDs.suffix(2)))
      #expect((tail == "<think>\n") == reasoning)
    }
  }

  @Test func metricsAgreeWithOrganismMetrics() throws {
    let report = try evaluate(Self.sampled(seed: 5, cap: 16, temperature: 1.5))
    let responses = report.records.map(\.responseIDs)
    let scored = responses.map {
      OrganismEvaluationRecord.scoredIDs(response: $0, reasoningPrompt: true)
    }
    let answers = report.records.map(\.answer)
    #expect(report.accuracy == OrganismMetrics.accuracy(scored, answers: answers))
    #expect(report.meanLength == OrganismMetrics.meanLength(responses))
    #expect(report.hesitationRate == OrganismMetrics.hesitationRate(responses))
    #expect(report.responseCount == Self.problems.count * 3)
    #expect(report.problemCount == Self.problems.count)
    for record in report.records {
      #expect(record.length == OrganismMetrics.length(record.responseIDs))
      #expect(record.hesitations == OrganismMetrics.hesitationCount(record.responseIDs))
      #expect(record.correct == (record.parsedAnswer == record.answer))
    }
  }
}
