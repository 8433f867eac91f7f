/// The base model B against the reasoning model R on the same problems and setting: the numbers
/// issue 5's acceptance quotes ("the pair behaves like the paper's").
///
/// Acceptance (greedy, held-out multi-step problems): R's accuracy exceeds B's by at least 30
/// points, R hesitates at least 20 times per 1,000 response tokens and B less than once, and
/// R's responses are at least 3× longer than B's.
public struct OrganismPairComparison: Hashable, Sendable, Codable {
  /// B's headline numbers.
  public var base: OrganismMetrics.Summary
  /// R's headline numbers.
  public var reasoning: OrganismMetrics.Summary
  /// `acc_R − acc_B`, in accuracy units (`0.3` is 30 points).
  public var accuracyGain: Double
  /// R's mean response length over B's; `nil` when B's is 0.
  public var lengthRatio: Double?

  /// Smallest accuracy gain accepted (30 points).
  public static let minimumAccuracyGain = 0.30
  /// Smallest hesitation rate of R accepted, per 1,000 response tokens.
  public static let minimumReasoningHesitationRate = 20.0
  /// Hesitation rate B must stay below, per 1,000 response tokens.
  public static let maximumBaseHesitationRate = 1.0
  /// Smallest length ratio R/B accepted.
  public static let minimumLengthRatio = 3.0

  /// Compares `base` (B's report) with `reasoning` (R's report).
  public init(base: OrganismEvaluationReport, reasoning: OrganismEvaluationReport) {
    self.base = base.summary
    self.reasoning = reasoning.summary
    accuracyGain = reasoning.accuracy - base.accuracy
    lengthRatio = base.meanLength > 0 ? reasoning.meanLength / base.meanLength : nil
  }

  /// Which acceptance conditions fail, in words (empty when the pair behaves like the paper's).
  public var failures: [String] {
    var out: [String] = []
    if !(accuracyGain >= Self.minimumAccuracyGain) {
      out.append("R's accuracy exceeds B's by \(accuracyGain), below \(Self.minimumAccuracyGain)")
    }
    if !(reasoning.hesitationRate >= Self.minimumReasoningHesitationRate) {
      out.append(
        "R's hesitation rate \(reasoning.hesitationRate) is below "
          + "\(Self.minimumReasoningHesitationRate) per 1,000 tokens")
    }
    if !(base.hesitationRate < Self.maximumBaseHesitationRate) {
      out.append(
        "B's hesitation rate \(base.hesitationRate) is not below "
          + "\(Self.maximumBaseHesitationRate) per 1,000 tokens")
    }
    if !((lengthRatio ?? 0) >= Self.minimumLengthRatio) {
      out.append(
        "R's responses are \(lengthRatio.map { "\($0)×" } ?? "undefined") B's length, "
          + "below \(Self.minimumLengthRatio)×")
    }
    return out
  }

  /// Whether every acceptance condition holds.
  public var behavesLikeThePaper: Bool { failures.isEmpty }
}
