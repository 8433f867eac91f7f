import Foundation
import VouchModels

/// One line of an `adapter-features` output's `features.jsonl`: a feature's statistics
/// (METHOD.md §6.1) and its rule-based label (§6.2, ``FeatureClassifier``), keys snake-cased.
///
/// Token texts are the vocabulary's spellings (specials written out); an example's `before` and
/// `after` are its context tokens' texts concatenated (the organism's vocabulary re-tokenises
/// such text uniquely), `token` the activating token's text.
public struct FeatureLabel: Codable, Hashable, Sendable {
  /// One activating example.
  public struct Example: Codable, Hashable, Sendable {
    /// Index of the sequence among those collected.
    public var sequence: Int
    /// Position of the activating token.
    public var position: Int
    /// The activation `f > 0`.
    public var activation: Float
    /// The activating token's text.
    public var token: String
    /// The activating token's id.
    public var tokenID: Int
    /// The region of the position (`thinking_3`, `answer`, …).
    public var region: String
    /// Up to 50 tokens before, as text.
    public var before: String
    /// Up to 20 tokens after, as text.
    public var after: String

    enum CodingKeys: String, CodingKey {
      case sequence, position, activation, token, region, before, after
      case tokenID = "token_id"
    }
  }

  /// One logit-lens entry.
  public struct LensToken: Codable, Hashable, Sendable {
    /// The token id.
    public var id: Int
    /// The token text.
    public var token: String
    /// `(W_U · d_i)[id]`.
    public var score: Double
  }

  /// `W_U · d_i`: every token's score in id order and the ten highest and lowest.
  public struct LogitLens: Codable, Hashable, Sendable {
    /// Highest first (ties to the lower id).
    public var top: [LensToken]
    /// Lowest first (ties to the lower id).
    public var bottom: [LensToken]
    /// Every token's score, id order (`[V]`).
    public var scores: [Double]
  }

  /// The layer `ℓ`.
  public var layer: Int
  /// The feature index within the layer.
  public var index: Int
  /// Tokens with `f > 0`.
  public var count: Int
  /// `count / tokens`.
  public var frequency: Double
  /// Whether the frequency reaches `FeatureClassifier.minimumFrequency`.
  public var alive: Bool
  /// Activating tokens per region (17 regions and `thinking`, their sum over deciles).
  public var regionCounts: [String: Int]
  /// Per region, count / tokens of that region (0 for a region without tokens).
  public var regionDensities: [String: Double]
  /// Up to 20 examples by activation (ties: earlier sequence, earlier position).
  public var topExamples: [Example]
  /// Up to 10 reservoir-sampled examples, in sequence order.
  public var randomExamples: [Example]
  /// The logit lens.
  public var logitLens: LogitLens
  /// `language`, `domain`, `reasoning` or `uninterpretable`; absent for a dead feature.
  public var category: String?
  /// `output`, `input_simple` or `input_abstract` for a reasoning feature.
  public var mechanism: String?
  /// The classifier rule that gave the category.
  public var rule: String?

  enum CodingKeys: String, CodingKey {
    case layer, index, count, frequency, alive, category, mechanism, rule
    case regionCounts = "region_counts"
    case regionDensities = "region_densities"
    case topExamples = "top_examples"
    case randomExamples = "random_examples"
    case logitLens = "logit_lens"
  }

  /// The name of the aggregate of the ten thinking deciles.
  public static let thinkingRegion = "thinking"

  /// Every region name a label carries, report order: the 17 regions, then `thinking`.
  public static var regionNames: [String] {
    FeatureRegion.all.map(\.name) + [thinkingRegion]
  }

  /// The label of `record`, collected in `statistics`, spelled with `tokenTexts`.
  init(
    _ record: FeatureRecord, statistics: FeatureStatistics, classifier: FeatureClassifier
  ) {
    let texts = classifier.tokenTexts
    func text(_ id: Int) -> String { texts.indices.contains(id) ? texts[id] : "<\(id)>" }
    func example(_ example: FeatureExample) -> Example {
      Example(
        sequence: example.sequence, position: example.position, activation: example.activation,
        token: text(example.token), tokenID: example.token, region: example.region.name,
        before: example.before.map(text).joined(), after: example.after.map(text).joined())
    }
    func lensToken(_ id: Int) -> LensToken {
      LensToken(id: id, token: text(id), score: record.logitLens.scores[id])
    }
    layer = record.layer
    index = record.index
    count = record.count
    frequency = record.frequency(tokens: statistics.tokens)
    alive = FeatureClassifier.isAlive(frequency: frequency)
    let densities = record.regionDensities(regionTokens: statistics.regionTokens)
    regionCounts = [:]
    regionDensities = [:]
    for region in FeatureRegion.all {
      regionCounts[region.name] = record.regionCounts[region.index]
      regionDensities[region.name] = densities[region.index]
    }
    let thinking = FeatureRegion.all.filter(\.isThinking).map(\.index)
    let thinkingCount = thinking.reduce(0) { $0 + record.regionCounts[$1] }
    let thinkingTokens = thinking.reduce(0) { $0 + statistics.regionTokens[$1] }
    regionCounts[Self.thinkingRegion] = thinkingCount
    regionDensities[Self.thinkingRegion] =
      thinkingTokens > 0 ? Double(thinkingCount) / Double(thinkingTokens) : 0
    topExamples = record.topExamples.map(example)
    randomExamples = record.randomExamples.map(example)
    logitLens = LogitLens(
      top: record.logitLens.top.map(lensToken), bottom: record.logitLens.bottom.map(lensToken),
      scores: record.logitLens.scores)
    if alive {
      let classification = classifier.classify(record)
      category = classification.category.rawValue
      mechanism = classification.mechanism?.rawValue
      rule = classification.rule
    }
  }

  /// `LAYER:INDEX`.
  public var address: String { "\(layer):\(index)" }
}
