import Testing

@testable import VouchModels

/// The rule-based classifier of METHOD §6.2/§8.5 on hand-made feature statistics: one case per
/// rule, and the boundaries of its fixed thresholds.
@Suite("Feature classifier")
struct FeatureClassifierTests {
  static let classifier = FeatureClassifier()
  static func id(_ text: String) -> Int { OrganismVocabulary.id(of: text) ?? -1 }

  /// An example firing on `token` in `region`, followed by `next`.
  static func example(
    _ token: String, region: FeatureRegion = .thinking(decile: 3), next: String = "1"
  ) -> FeatureExample {
    FeatureExample(
      sequence: 0, position: 10, activation: 1, token: id(token), region: region,
      before: [1, 3], after: [id(next)])
  }

  /// A feature with `examples` as its top examples, a count of `count` (default: as many as
  /// examples) and a logit lens led by digits unless `scores` is given.
  static func record(
    _ examples: [FeatureExample], count: Int? = nil, scores: [Double]? = nil
  ) -> FeatureRecord {
    let lens =
      scores
      ?? (0..<OrganismVocabulary.size).map { id in
        (7..<17).contains(id) ? 1 : 0
      }
    return FeatureRecord(
      layer: 0, index: 0, count: count ?? examples.count, regionCounts: [],
      topExamples: examples, randomExamples: [], logitLens: FeatureLogitLens(scores: lens))
  }

  /// Logit-lens scores 0 except the given tokens.
  static func scores(_ values: [String: Double]) -> [Double] {
    var scores = [Double](repeating: 0, count: OrganismVocabulary.size)
    for (text, value) in values { scores[id(text)] = value }
    return scores
  }

  static func classify(_ record: FeatureRecord) -> (FeatureCategory, FeatureMechanism?, String) {
    let result = classifier.classify(record)
    return (result.category, result.mechanism, result.rule)
  }

  @Test func aliveMeansFrequencyAtLeastTheMinimum() {
    #expect(FeatureClassifier.isAlive(frequency: 1e-7))
    #expect(!FeatureClassifier.isAlive(frequency: 0.99e-7))
    #expect(!FeatureClassifier.isAlive(frequency: 0))
  }

  @Test func fewerThanFiveActivationsIsUninterpretable() {
    let wait = Array(repeating: Self.example("wait"), count: 4)
    #expect(
      Self.classify(Self.record(wait, scores: Self.scores(["wait": 9])))
        == (.uninterpretable, nil, "too-few-examples"))
    #expect(Self.classify(Self.record(wait + [Self.example("wait")])).0 == .reasoning)
  }

  @Test func aLogitLensLedByAHesitationWordIsAnOutputFeature() {
    let digits = Array(repeating: Self.example("7"), count: 10)
    // "wait" stands far above the rest (z ≈ 5.4).
    #expect(
      Self.classify(Self.record(digits, scores: Self.scores(["wait": 5])))
        == (.reasoning, .output, "logit-lens"))
    // Two hesitation words lead, neither an outlier on its own.
    let spread = (0..<OrganismVocabulary.size).map { Double($0 % 7) }
    var led = spread
    led[Self.id("wait")] = 7
    led[Self.id("check")] = 6.5
    #expect(Self.classify(Self.record(digits, scores: led)).1 == .output)
    // "wait" first but neither an outlier nor followed by another hesitation word: not output.
    led[Self.id("check")] = 0
    #expect(FeatureLogitLens(scores: led).topStandardScore < 3)
    #expect(Self.classify(Self.record(digits, scores: led)) == (.domain, nil, "domain-majority"))
    // An outlier that is not a hesitation word: not output.
    #expect(Self.classify(Self.record(digits, scores: Self.scores(["so": 5]))).0 == .domain)
  }

  @Test func hesitationExamplesMakeAnInputFeature() {
    let wait = Array(repeating: Self.example("wait"), count: 8)
    let digits = Array(repeating: Self.example("3"), count: 2)
    #expect(
      Self.classify(Self.record(wait + digits)) == (.reasoning, .inputSimple, "hesitation-examples")
    )
    // Line starts before a hesitation word inside the trace count as hesitation examples.
    let slots = Array(repeating: Self.example("\n", next: "wait"), count: 3)
    let checks = Array(repeating: Self.example("check"), count: 2)
    #expect(
      Self.classify(Self.record(slots + checks + digits + digits + [Self.example("3")]))
        == (.reasoning, .inputAbstract, "hesitation-examples"))
    // The same newlines outside the trace are language, and 4 of 10 is not enough.
    let outside = Array(repeating: Self.example("\n", region: .question, next: "wait"), count: 6)
    #expect(
      Self.classify(Self.record(outside + Array(wait[..<4]))) == (
        .language, nil, "language-majority"
      ))
    // Only the first 10 top examples are examined.
    let late =
      Array(repeating: Self.example(" "), count: 10)
      + Array(repeating: Self.example("wait"), count: 11)
    #expect(Self.classify(Self.record(late)).0 == .language)
  }

  @Test func majoritiesDecideDomainAndLanguage() {
    let digits = Array(repeating: Self.example("4"), count: 3)
    let operators = [Self.example("+"), Self.example("="), Self.example("(")]
    let spaces = Array(repeating: Self.example(" "), count: 4)
    #expect(Self.classify(Self.record(digits + operators + spaces)).0 == .domain)
    // 5 of 10 is not more than half: no majority.
    #expect(
      Self.classify(
        Self.record(Array((digits + operators).prefix(5)) + spaces + [Self.example("ok")]))
        == (.uninterpretable, nil, "no-majority"))
    let words = [Self.example("so"), Self.example("ok"), Self.example("<think>")]
    #expect(Self.classify(Self.record(spaces + words + digits)).0 == .language)
    // Three classes, none above half.
    #expect(
      Self.classify(
        Self.record(
          Array(spaces.prefix(3)) + digits + Array(repeating: Self.example("but"), count: 4))
      )
      .2 == "no-majority")
  }
}
