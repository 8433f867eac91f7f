// The rule-based classifier that replaces METHOD.md §6.2's LLM judge (METHOD §8.5). The rules
// and every threshold below were fixed before any organism result was looked at; changing them
// after seeing results would make the reported fractions meaningless.
//
// Rules (applied to an alive feature, first match wins):
//
// Token classes, by token text (they partition the organism's 31 tokens):
// - hesitation/check words H = {wait, hmm, check, but};
// - domain tokens D = digits 0–9 and + - * = ( );
// - language tokens = everything else: space, newline, "so", "ok" and the specials.
// The examples E are the first `examinedExamples` (10, what the paper's judge saw) of the
// feature's top examples; an example's *activating token* is the token where it fired.
//
// 1. Alive: activation frequency ≥ `minimumFrequency` (1e-7, the paper's `min_freq`); with the
//    organism's token counts (< 10⁷) that is count ≥ 1. Dead features get no category.
// 2. Fewer than `minimumExamples` (5) activating tokens → uninterpretable (the paper's judge
//    skips them; here they are counted so every alive feature has a label).
// 3. Reasoning, mechanism output: the logit lens's top token is in H and either its standard
//    score over all V tokens is ≥ `outputStandardScore` (3) or the second token is in H too.
//    (A random direction meets this with probability ≈ 2% at V = 31: 4/31 · (3/30 + P(z ≥ 3)).)
// 4. Reasoning, input: at least `reasoningShare` (50%) of E are *hesitation examples*: the
//    activating token is in H, or it is a newline inside the trace (region thinking_*) followed
//    by a word in H (a line start before a hesitation: the "template slot"). Mechanism:
//    input_simple when one token id is the activating token of ≥ `simpleShare` (80%) of E,
//    else input_abstract.
// 5. Domain: more than `majorityShare` (50%) of E have an activating token in D.
// 6. Language: more than 50% of E have an activating token in the language class.
// 7. Otherwise uninterpretable (no majority).

/// Assigns METHOD §6.2's category and mechanism to a feature from its statistics, by the fixed
/// rules in this file's header.
public struct FeatureClassifier: Hashable, Sendable {
  /// The paper's `min_freq`: alive means frequency at least this.
  public static let minimumFrequency = 1e-7
  /// Fewer activating tokens than this is uninterpretable.
  public static let minimumExamples = 5
  /// Top examples examined (the judge's 10).
  public static let examinedExamples = 10
  /// The logit lens's top token must stand this many standard deviations above the mean (or be
  /// followed by another hesitation word).
  public static let outputStandardScore = 3.0
  /// Share of examined examples that must be hesitation examples for an input reasoning label.
  public static let reasoningShare = 0.5
  /// Share one activating token must reach for input_simple.
  public static let simpleShare = 0.8
  /// Domain and language need strictly more than this share.
  public static let majorityShare = 0.5

  /// The hesitation/check words.
  public static let hesitationWords: Set<String> = ["wait", "hmm", "check", "but"]
  /// The domain tokens.
  public static let domainTokens: Set<String> = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "-", "*", "=", "(", ")",
  ]

  /// A label and the rule that gave it.
  public struct Classification: Hashable, Sendable {
    /// The level-1 category.
    public var category: FeatureCategory
    /// The mechanism, for reasoning features only.
    public var mechanism: FeatureMechanism?
    /// Which rule fired: `too-few-examples`, `logit-lens`, `hesitation-examples`,
    /// `domain-majority`, `language-majority` or `no-majority`.
    public var rule: String

    /// A classification with the given fields.
    public init(category: FeatureCategory, mechanism: FeatureMechanism? = nil, rule: String) {
      self.category = category
      self.mechanism = mechanism
      self.rule = rule
    }
  }

  /// Token texts in id order, `[V]`.
  public let tokenTexts: [String]
  private let hesitation: Set<Int>
  private let domain: Set<Int>
  private let newline: Int?

  /// A classifier for a vocabulary whose token `id` is spelled `tokenTexts[id]`.
  public init(tokenTexts: [String] = OrganismVocabulary.tokenTexts) {
    self.tokenTexts = tokenTexts
    let ids = Array(tokenTexts.indices)
    hesitation = Set(ids.filter { Self.hesitationWords.contains(tokenTexts[$0]) })
    domain = Set(ids.filter { Self.domainTokens.contains(tokenTexts[$0]) })
    newline = tokenTexts.firstIndex(of: "\n")
  }

  /// Whether a feature of `frequency` is alive.
  public static func isAlive(frequency: Double) -> Bool { frequency >= minimumFrequency }

  /// The label of an alive feature (rules 2–7).
  /// - Parameter record: the feature's statistics.
  /// - Returns: the category, the mechanism of a reasoning feature, and the rule that fired.
  public func classify(_ record: FeatureRecord) -> Classification {
    if record.count < Self.minimumExamples {
      return Classification(category: .uninterpretable, rule: "too-few-examples")
    }
    let lens = record.logitLens
    if let first = lens.top.first, hesitation.contains(first) {
      let second = lens.top.dropFirst().first
      if lens.topStandardScore >= Self.outputStandardScore
        || second.map(hesitation.contains) == true
      {
        return Classification(category: .reasoning, mechanism: .output, rule: "logit-lens")
      }
    }
    let examples = record.topExamples.prefix(Self.examinedExamples)
    let total = Double(examples.count)
    func share(_ matches: (FeatureExample) -> Bool) -> Double {
      Double(examples.count(where: matches)) / total
    }
    if share(isHesitationExample) >= Self.reasoningShare {
      var tally: [Int: Int] = [:]
      for example in examples { tally[example.token, default: 0] += 1 }
      let simple = Double(tally.values.max() ?? 0) / total >= Self.simpleShare
      return Classification(
        category: .reasoning, mechanism: simple ? .inputSimple : .inputAbstract,
        rule: "hesitation-examples")
    }
    if share({ domain.contains($0.token) }) > Self.majorityShare {
      return Classification(category: .domain, rule: "domain-majority")
    }
    if share({ !domain.contains($0.token) && !hesitation.contains($0.token) })
      > Self.majorityShare
    {
      return Classification(category: .language, rule: "language-majority")
    }
    return Classification(category: .uninterpretable, rule: "no-majority")
  }

  /// Rule 4's hesitation example: the activating token is a hesitation/check word, or a newline
  /// inside the trace followed by one.
  func isHesitationExample(_ example: FeatureExample) -> Bool {
    if hesitation.contains(example.token) { return true }
    guard example.token == newline, example.region.isThinking, let next = example.nextToken
    else { return false }
    return hesitation.contains(next)
  }
}
