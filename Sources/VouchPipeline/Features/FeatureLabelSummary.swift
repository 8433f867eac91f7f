import Foundation
import VouchModels

/// `summary.json` of an `adapter-features` output: the totals claims cite (`$.alive`,
/// `$.reasoning_fraction`, …), keys snake-cased and sorted.
public struct FeatureLabelSummary: Codable, Hashable, Sendable {
  /// The classifier's fixed thresholds, recorded so a reader sees which rules labelled the
  /// features.
  public struct Thresholds: Codable, Hashable, Sendable {
    var minimumFrequency = FeatureClassifier.minimumFrequency
    var minimumExamples = FeatureClassifier.minimumExamples
    var examinedExamples = FeatureClassifier.examinedExamples
    var outputStandardScore = FeatureClassifier.outputStandardScore
    var reasoningShare = FeatureClassifier.reasoningShare
    var simpleShare = FeatureClassifier.simpleShare
    var majorityShare = FeatureClassifier.majorityShare

    enum CodingKeys: String, CodingKey {
      case minimumFrequency = "minimum_frequency"
      case minimumExamples = "minimum_examples"
      case examinedExamples = "examined_examples"
      case outputStandardScore = "output_standard_score"
      case reasoningShare = "reasoning_share"
      case simpleShare = "simple_share"
      case majorityShare = "majority_share"
    }
  }

  /// The version of this layout; readers refuse others.
  public static let currentSchemaVersion = 1

  /// Layout version (1).
  public var schemaVersion: Int
  /// Sequences offered (validation sequences, after the `sequences` limit).
  public var sequences: Int
  /// Sequences skipped for lacking `<assistant>`, `<think>` or `</think>`.
  public var skippedSequences: Int
  /// Tokens collected.
  public var tokens: Int
  /// Tokens per region (17 regions and `thinking`).
  public var regionTokens: [String: Int]
  /// `L`.
  public var layers: Int
  /// `F`.
  public var featuresPerLayer: Int
  /// `L·F`, every feature (one line each in `features.jsonl`).
  public var features: Int
  /// Features whose frequency reaches the minimum.
  public var alive: Int
  /// Per layer, alive features.
  public var alivePerLayer: [Int]
  /// Alive features per category (all four categories present).
  public var categories: [String: Int]
  /// Reasoning features per mechanism (all three present).
  public var mechanisms: [String: Int]
  /// Reasoning features over alive features (0 when none is alive).
  public var reasoningFraction: Double
  /// The reservoir seed.
  public var seed: UInt64
  /// The classifier's thresholds.
  public var thresholds: Thresholds
  /// Token texts in id order, `[V]`: what logit-lens scores index.
  public var vocabulary: [String]

  enum CodingKeys: String, CodingKey {
    case sequences, tokens, layers, features, alive, categories, mechanisms, seed, thresholds
    case vocabulary
    case schemaVersion = "schema_version"
    case skippedSequences = "skipped_sequences"
    case regionTokens = "region_tokens"
    case featuresPerLayer = "features_per_layer"
    case alivePerLayer = "alive_per_layer"
    case reasoningFraction = "reasoning_fraction"
  }

  /// The summary of `labels`, collected as `statistics` with reservoir seed `seed`.
  init(
    _ labels: [FeatureLabel], statistics: FeatureStatistics, seed: UInt64, vocabulary: [String]
  ) {
    schemaVersion = Self.currentSchemaVersion
    sequences = statistics.sequences
    skippedSequences = statistics.skippedSequences
    tokens = statistics.tokens
    regionTokens = [:]
    for region in FeatureRegion.all {
      regionTokens[region.name] = statistics.regionTokens[region.index]
    }
    regionTokens[FeatureLabel.thinkingRegion] = FeatureRegion.all.filter(\.isThinking)
      .reduce(0) { $0 + statistics.regionTokens[$1.index] }
    layers = statistics.layerCount
    featuresPerLayer = statistics.featureCount
    features = labels.count
    let living = labels.filter(\.alive)
    alive = living.count
    alivePerLayer = (0..<statistics.layerCount).map { layer in
      living.count { $0.layer == layer }
    }
    categories = Dictionary(
      uniqueKeysWithValues: FeatureCategory.allCases.map { category in
        (category.rawValue, living.count { $0.category == category.rawValue })
      })
    mechanisms = Dictionary(
      uniqueKeysWithValues: FeatureMechanism.allCases.map { mechanism in
        (mechanism.rawValue, living.count { $0.mechanism == mechanism.rawValue })
      })
    let reasoning = categories[FeatureCategory.reasoning.rawValue] ?? 0
    reasoningFraction = alive > 0 ? Double(reasoning) / Double(alive) : 0
    self.seed = seed
    thresholds = Thresholds()
    self.vocabulary = vocabulary
  }
}
