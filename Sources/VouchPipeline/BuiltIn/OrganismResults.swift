import Foundation
import VouchModels

/// The results JSON of `organism-evaluate` (snake-case keys, sorted): per model, greedy and
/// sampled accuracy (fraction exact), mean response length (tokens) and hesitation rate (per
/// 1,000 response tokens); and the base/reasoning comparison of `METHOD.md` §8.3.
struct OrganismResults: Encodable {
  /// One decoding's summary.
  struct Metrics: Encodable {
    /// Fraction of responses whose final answer is exact.
    var accuracy: Double
    /// Mean response length in tokens.
    var meanLength: Double
    /// Hesitations per 1,000 response tokens.
    var hesitationRate: Double
    /// Fraction of responses that ended with `<eos>` before the cap.
    var stoppedFraction: Double
    /// Responses scored.
    var responses: Int

    init(_ report: OrganismEvaluationReport) {
      accuracy = report.accuracy
      meanLength = report.meanLength
      hesitationRate = report.hesitationRate
      stoppedFraction = report.stoppedFraction
      responses = report.responseCount
    }
  }

  /// One model's reports, greedy and sampled.
  struct ModelResults {
    var greedy: OrganismEvaluationReport
    var sampled: OrganismEvaluationReport
    var metrics: [String: Metrics] { ["greedy": Metrics(greedy), "sampled": Metrics(sampled)] }
  }

  /// Reasoning model against base model under one decoding.
  struct Comparison: Encodable {
    /// One decoding's comparison.
    struct Pair: Encodable {
      /// Reasoning accuracy minus base accuracy.
      var accuracyGain: Double
      /// Reasoning mean length over base mean length (`null` when the base's is 0).
      var lengthRatio: Double?
      /// Whether every threshold of issue 5 holds.
      var behavesLikeThePaper: Bool
      /// The thresholds that fail, in words.
      var failures: [String]

      init(_ comparison: OrganismPairComparison) {
        accuracyGain = comparison.accuracyGain
        lengthRatio = comparison.lengthRatio
        behavesLikeThePaper = comparison.behavesLikeThePaper
        failures = comparison.failures
      }
    }
    var greedy: Pair
    var sampled: Pair
  }

  /// Held-out problems evaluated.
  var problems: Int
  /// Samples per problem for the sampled decoding.
  var samplesPerProblem: Int
  /// The response token cap.
  var maxNewTokens: Int
  /// The sampled decoding's temperature.
  var temperature: Double
  /// The base model B.
  var base: [String: Metrics]
  /// The reasoning model R.
  var reasoning: [String: Metrics]
  /// The MLP-only control, if evaluated.
  var control: [String: Metrics]?
  /// R against B.
  var comparison: Comparison

  /// Writes the JSON with sorted keys and a final newline.
  func write(to url: URL) throws { try StageJSON.write(self, to: url) }
}
