import Testing

@testable import VouchModels

/// The report's metrics on known responses, and accuracy recovery.
@Suite struct OrganismEvaluationReportTests {
  /// Records whose responses are the generator's own reasoning traces (all correct), minus the
  /// `<think>\n` the prompt already holds; the last one is given a wrong answer.
  @Test func referenceTracesScoreAsExpected() throws {
    let examples = OrganismDataGenerator(seed: 2).reasoningExamples(count: 6)
    let thinkPrefix = try #require(OrganismVocabulary.encode("<think>\n"))
    var records: [OrganismEvaluationRecord] = []
    var waits = 0
    var tokens = 0
    for (index, example) in examples.enumerated() {
      let full = try #require(OrganismVocabulary.encode(example.response))
      #expect(Array(full.prefix(2)) == thinkPrefix)
      let response = Array(full.dropFirst(2))
      let answer = index == examples.count - 1 ? example.problem.answer + 1 : example.problem.answer
      waits += example.response.components(separatedBy: "wait").count - 1
      tokens += response.count
      let parsed = OrganismMetrics.finalAnswer(thinkPrefix + response)
      records.append(
        OrganismEvaluationRecord(
          problem: example.problem.text, answer: answer, problemIndex: index, sampleIndex: 0,
          seed: 0, promptIDs: [], responseIDs: response, parsedAnswer: parsed,
          correct: parsed == answer, length: response.count, hesitations: 0, stopped: true))
    }
    let report = OrganismEvaluationReport(
      settings: .greedy(maxNewTokens: 100, reasoningPrompt: true), records: records)
    #expect(report.accuracy == 5.0 / 6.0)
    #expect(report.meanLength == Double(tokens) / 6)
    #expect(report.hesitationRate == 1000 * Double(waits) / Double(tokens))
    #expect(report.stoppedFraction == 1)
  }

  @Test func anUnclosedTraceIsNeverCorrect() throws {
    // Without `</think>` the last line "48" would read as an answer; after a `<think>\n`
    // prompt it is an unfinished trace.
    let response = try #require(OrganismVocabulary.encode("4*12=48\n48\n"))
    let scored = OrganismEvaluationRecord.scoredIDs(response: response, reasoningPrompt: true)
    #expect(OrganismMetrics.finalAnswer(scored) == nil)
    #expect(OrganismMetrics.finalAnswer(response) == 48)
  }

  @Test func tokenCapIsFourTimesTheLongestTrace() {
    #expect(OrganismEvaluationSettings.tokenCap(longestOf: [[1, 2], [1, 2, 3], []]) == 12)
    #expect(OrganismEvaluationSettings.tokenCap(longestOf: []) == 1)
  }

  @Test func sampleSeedsAreDistinctAndIndependentOfCount() {
    let settings = OrganismEvaluationSettings.sampled(
      samples: 4, seed: 1, maxNewTokens: 8, reasoningPrompt: false)
    let seeds = (0..<5).flatMap { p in (0..<4).map { settings.sampleSeed(problem: p, sample: $0) } }
    #expect(Set(seeds).count == seeds.count)
    var other = settings
    other.samplesPerProblem = 1
    #expect(other.sampleSeed(problem: 3, sample: 0) == settings.sampleSeed(problem: 3, sample: 0))
    other.seed = 2
    #expect(other.sampleSeed(problem: 3, sample: 0) != settings.sampleSeed(problem: 3, sample: 0))
  }

  @Test func recoveryOverBothFloors() {
    let recovery = OrganismAccuracyRecovery(model: 0.6, reasoning: 0.8, base: 0.2, hybrid: 0.4)
    #expect(abs((recovery.overBase ?? -1) - 4.0 / 6.0) < 1e-12)
    #expect(abs((recovery.overHybrid ?? -1) - 0.5) < 1e-12)
    #expect(OrganismAccuracyRecovery.recovery(model: 0.5, reasoning: 0.3, floor: 0.3) == nil)
    let worse = OrganismAccuracyRecovery.recovery(model: 0.1, reasoning: 0.3, floor: 0.2)
    #expect(abs((worse ?? 0) + 1) < 1e-12)
  }
}
