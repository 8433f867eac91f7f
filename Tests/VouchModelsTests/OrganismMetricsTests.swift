import Testing

@testable import VouchModels

/// The organism's evaluation metrics on hand-made responses.
@Suite struct OrganismMetricsTests {
  static func ids(_ text: String) throws -> [Int] {
    try #require(OrganismVocabulary.encode(text))
  }

  @Test(arguments: [
    ("<think>\n4*12=48\n3+48=51\n</think>51<eos>", 51 as Int?),
    ("<think>\n4*12=48\nwait 4*12=48 ok\n</think>48<eos><pad><pad>", 48),
    ("<think>\n2+2=4\n</think>\n4\n<eos>", 4),
    ("<think>\n2+2=4\n</think>4<eos>5", 4),  // text after <eos> is ignored
    ("51<eos>", 51),
    ("4*12=48\n3+48=51\n51<eos>", 51),
    ("4*12=48\n3+48=51\n\n<eos>", nil),  // last line "3+48=51" is not an integer
    ("<think>\n4*12=48\n3+48=51", nil),  // never closed
    ("<think>\n</think><eos>", nil),
    ("<think>\n</think>5 1<eos>", nil),
    ("<think>\n</think>-7<eos>", -7),
    ("wait<eos>", nil),
    ("<eos>", nil),
  ])
  func finalAnswer(_ text: String, _ expected: Int?) throws {
    #expect(OrganismMetrics.finalAnswer(try Self.ids(text)) == expected)
  }

  @Test func generationPrompts() {
    let problem = ArithmeticProblem(operands: [3, 12], operators: [.multiply])
    let base = OrganismExample.generationPrompt(for: problem, reasoning: false)
    let reasoning = OrganismExample.generationPrompt(for: problem, reasoning: true)
    #expect(OrganismVocabulary.decode(base) == "<bos><user>3*12<assistant>")
    #expect(reasoning == base + [OrganismVocabulary.thinkStart, 24])
  }

  @Test func accuracyLengthAndHesitationRate() throws {
    let responses = try [
      "<think>\n4*12=48\nwait 4*12=48 ok\n3+48=51\n</think>51<eos>",  // 34 tokens, 1 wait
      "<think>\n2+2=5 but wait 2+2=4\n</think>4<eos><pad>",  // 21 tokens, 1 wait
      "7<eos>",  // 2 tokens, wrong
    ].map(Self.ids)
    let answers = [51, 4, 8]
    #expect(OrganismMetrics.accuracy(responses, answers: answers) == 2.0 / 3.0)
    #expect(OrganismMetrics.accuracy([], answers: []) == 0)
    #expect(responses.map(OrganismMetrics.length) == [34, 21, 2])
    #expect(OrganismMetrics.meanLength(responses) == 19)
    #expect(responses.map(OrganismMetrics.hesitationCount) == [1, 1, 0])
    #expect(OrganismMetrics.hesitationRate(responses) == 2000.0 / 57)
    #expect(OrganismMetrics.hesitationRate([]) == 0)
    let summary = OrganismMetrics.summary(responses, answers: answers)
    #expect(summary.count == 3 && summary.accuracy == 2.0 / 3.0 && summary.meanLength == 19)
    #expect(summary.hesitationRate == 2000.0 / 57)
    // A response without <eos> counts every token (capped generation).
    let capped = try Self.ids("wait wait wait")
    #expect(OrganismMetrics.length(capped) == 5)
    #expect(OrganismMetrics.hesitationRate([capped]) == 600)
  }
}
