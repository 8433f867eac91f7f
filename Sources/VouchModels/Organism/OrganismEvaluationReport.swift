/// What evaluating one model on the held-out problems gave (METHOD §8.5): the three metrics,
/// every response with its score, and the settings that produced them.
///
/// Metrics pool over every response of every problem (``OrganismMetrics`` conventions):
/// accuracy is the fraction of correct responses, length the mean response length, and the
/// hesitation rate 1,000 × all "wait" tokens / all response tokens. Codable with explicit keys
/// and plain `Double`s, ready for the pipeline's canonical JSON encoder.
public struct OrganismEvaluationReport: Hashable, Sendable, Codable {
  /// How the responses were generated.
  public var settings: OrganismEvaluationSettings
  /// Number of problems evaluated.
  public var problemCount: Int
  /// Number of responses (problems × samples per problem).
  public var responseCount: Int
  /// Exact-match accuracy of the final answer, in `[0, 1]`.
  public var accuracy: Double
  /// Mean response length in tokens (up to and including `<eos>`).
  public var meanLength: Double
  /// "wait" tokens per 1,000 response tokens, pooled over responses.
  public var hesitationRate: Double
  /// Fraction of responses that stopped at `<eos>` before the cap.
  public var stoppedFraction: Double
  /// One record per response, ordered by problem, then sample.
  public var records: [OrganismEvaluationRecord]

  /// Explicit keys so the encoded names are part of the format.
  enum CodingKeys: String, CodingKey {
    case settings, problemCount, responseCount, accuracy, meanLength, hesitationRate
    case stoppedFraction, records
  }

  /// The report of `records` (ordered by problem, then sample) generated under `settings`.
  public init(settings: OrganismEvaluationSettings, records: [OrganismEvaluationRecord]) {
    self.settings = settings
    self.records = records
    problemCount = Set(records.map(\.problemIndex)).count
    responseCount = records.count
    let scored = records.map {
      OrganismEvaluationRecord.scoredIDs(
        response: $0.responseIDs, reasoningPrompt: settings.reasoningPrompt)
    }
    accuracy = OrganismMetrics.accuracy(scored, answers: records.map(\.answer))
    meanLength = OrganismMetrics.meanLength(records.map(\.responseIDs))
    hesitationRate = OrganismMetrics.hesitationRate(records.map(\.responseIDs))
    stoppedFraction =
      records.isEmpty ? 0 : Double(records.filter(\.stopped).count) / Double(records.count)
  }

  /// The three headline numbers as ``OrganismMetrics/Summary``.
  public var summary: OrganismMetrics.Summary {
    OrganismMetrics.Summary(
      count: responseCount, accuracy: accuracy, meanLength: meanLength,
      hesitationRate: hesitationRate)
  }
}
