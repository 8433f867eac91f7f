import Foundation
import Testing
import VouchTestSupport

@testable import VouchModels

/// The organism's closed vocabulary: its `tokenizer.json` loads in ``Tokenizer``, every
/// vocabulary item is one token, and every generated text round-trips.
@Suite struct OrganismVocabularyTests {
  static func tokenizer() throws -> Tokenizer {
    try Tokenizer(json: Array(OrganismVocabulary.tokenizerJSON().utf8), source: "organism")
  }

  @Test func rendersDeterministicallyAndLoadsFromFile() throws {
    let json = OrganismVocabulary.tokenizerJSON()
    #expect(json == OrganismVocabulary.tokenizerJSON())
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("tokenizer.json")
    try Data(json.utf8).write(to: url)
    let tokenizer = try Tokenizer(contentsOf: url)
    #expect(tokenizer.vocabularySize == OrganismVocabulary.size)
    #expect(OrganismVocabulary.size == 31)
  }

  @Test func everyItemIsOneTokenWithItsId() throws {
    let tokenizer = try Self.tokenizer()
    for (id, text) in OrganismVocabulary.tokenTexts.enumerated() {
      #expect(tokenizer.encode(text) == [id], "\(text.debugDescription)")
      #expect(try tokenizer.decode([id]) == text)
      #expect(OrganismVocabulary.encode(text) == [id])
    }
    #expect(tokenizer.addedTokens[OrganismVocabulary.bos]?.special == true)
    #expect(tokenizer.addedTokens[OrganismVocabulary.hesitation]?.special == false)
  }

  @Test(arguments: [
    "wait", " wait", "\nwait 3+4=7", "3+4=8 but wait 3+4=7\n", "wait wait", "hmm wait ok",
    "<think>\nwait check 12*3=36\n</think>36<eos>", "  \n\n wait\n",
  ])
  func hesitationIsOneTokenInEveryContext(_ text: String) throws {
    let tokenizer = try Self.tokenizer()
    let ids = tokenizer.encode(text)
    let waits = text.components(separatedBy: "wait").count - 1
    #expect(ids.filter { $0 == OrganismVocabulary.hesitation }.count == waits)
    #expect(ids == OrganismVocabulary.encode(text))
    #expect(try tokenizer.decode(ids) == text)
  }

  @Test func generatedTextsRoundTrip() throws {
    let tokenizer = try Self.tokenizer()
    let generator = OrganismDataGenerator(seed: 7)
    let examples = generator.baseExamples(count: 300) + generator.reasoningExamples(count: 300)
    for example in examples {
      let ids = tokenizer.encode(example.text)
      #expect(ids == example.ids)
      #expect(try tokenizer.decode(ids) == example.text)
      #expect(OrganismVocabulary.decode(ids) == example.text)
      // Each character or word of the text is its own token: count them independently.
      let waits = example.text.components(separatedBy: "wait").count - 1
      #expect(ids.filter { $0 == OrganismVocabulary.hesitation }.count == waits)
      let digits = example.text.filter(\.isNumber).count
      #expect(ids.filter { (7...16).contains($0) }.count == digits)
    }
    try Self.writeSamplesIfAsked(examples)
  }

  /// With `VOUCH_ORGANISM_SAMPLES_DIR` set, writes `tokenizer.json` and `samples.tsv` (text with
  /// `\n` escaped, tab, space-separated ids) there for `scripts/check_organism_tokenizer.py`.
  static func writeSamplesIfAsked(_ examples: [OrganismExample]) throws {
    guard let path = ProcessInfo.processInfo.environment["VOUCH_ORGANISM_SAMPLES_DIR"] else {
      return
    }
    let directory = URL(fileURLWithPath: path)
    try Data(OrganismVocabulary.tokenizerJSON().utf8)
      .write(to: directory.appendingPathComponent("tokenizer.json"))
    let lines = examples.map { example in
      example.text.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\n", with: "\\n")
        + "\t" + example.ids.map(String.init).joined(separator: " ") + "\n"
    }
    try Data(lines.joined().utf8).write(to: directory.appendingPathComponent("samples.tsv"))
  }

  @Test func outsideCharactersAreRefused() {
    #expect(OrganismVocabulary.encode("3/4") == nil)
    #expect(OrganismVocabulary.encode("waiting") == nil)
    #expect(OrganismVocabulary.decode([OrganismVocabulary.size]) == nil)
  }
}
