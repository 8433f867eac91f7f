import Foundation
import Testing

@testable import VouchModels

/// The report's JSON form: fixed keys, seeds as decimal strings, lossless round trip.
@Suite struct OrganismEvaluationCodingTests {
  @Test func seedsAreDecimalStringsAndEveryKeyIsPresent() throws {
    let settings = OrganismEvaluationSettings.sampled(
      samples: 2, seed: UInt64.max - 1, maxNewTokens: 8, reasoningPrompt: true)
    let seed = settings.sampleSeed(problem: 0, sample: 1)
    let record = OrganismEvaluationRecord(
      problem: "1+2*3", answer: 7, problemIndex: 0, sampleIndex: 1, seed: seed,
      promptIDs: [1, 3], responseIDs: [2], parsedAnswer: nil, correct: false, length: 1,
      hesitations: 0, stopped: true)
    let report = OrganismEvaluationReport(settings: settings, records: [record])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(report)
    let text = try #require(String(data: data, encoding: .utf8))
    #expect(text.contains("\"seed\":\"\(UInt64.max - 1)\""))
    #expect(text.contains("\"seed\":\"\(seed)\""))
    #expect(text.contains("\"parsedAnswer\":null"))
    #expect(try JSONDecoder().decode(OrganismEvaluationReport.self, from: data) == report)
  }

  @Test func invalidSettingsAreADecodingErrorNotACrash() {
    let json =
      #"{"temperature":-1,"samplesPerProblem":1,"seed":"3","maxNewTokens":4,"#
      + #""reasoningPrompt":false}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(OrganismEvaluationSettings.self, from: Data(json.utf8))
    }
    let badSeed =
      #"{"temperature":0,"samplesPerProblem":1,"seed":"x","maxNewTokens":4,"#
      + #""reasoningPrompt":false}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(OrganismEvaluationSettings.self, from: Data(badSeed.utf8))
    }
  }
}
