import Foundation
import Testing

@testable import VouchModels

/// The pair comparison against issue 5's acceptance thresholds.
@Suite struct OrganismPairComparisonTests {
  /// A report of one response per answer text, all to `1+2*3` (answer 7).
  static func report(_ responses: [String], reasoning: Bool) throws -> OrganismEvaluationReport {
    let records = try responses.enumerated().map { index, text in
      let ids = try #require(OrganismVocabulary.encode(text))
      let scored = OrganismEvaluationRecord.scoredIDs(response: ids, reasoningPrompt: reasoning)
      let parsed = OrganismMetrics.finalAnswer(scored)
      return OrganismEvaluationRecord(
        problem: "1+2*3", answer: 7, problemIndex: index, sampleIndex: 0, seed: 0,
        promptIDs: [], responseIDs: ids, parsedAnswer: parsed, correct: parsed == 7,
        length: OrganismMetrics.length(ids), hesitations: OrganismMetrics.hesitationCount(ids),
        stopped: true)
    }
    return OrganismEvaluationReport(
      settings: .greedy(maxNewTokens: 64, reasoningPrompt: reasoning), records: records)
  }

  @Test func aPaperLikePairPassesAndAWeakOneIsExplained() throws {
    let trace = "2*3=6\nwait 2*3=6 ok\n1+6=7\n</think>7<eos>"
    let base = try Self.report(["7<eos>", "8<eos>"], reasoning: false)
    let reasoning = try Self.report([trace, trace], reasoning: true)
    let pair = OrganismPairComparison(base: base, reasoning: reasoning)
    #expect(pair.accuracyGain == 0.5)
    #expect(pair.lengthRatio == reasoning.meanLength / 2)
    #expect(pair.failures.isEmpty && pair.behavesLikeThePaper)

    let weak = OrganismPairComparison(base: reasoning, reasoning: base)
    #expect(weak.failures.count == 4)
    let data = try JSONEncoder().encode(pair)
    #expect(try JSONDecoder().decode(OrganismPairComparison.self, from: data) == pair)
  }
}
