import Foundation
import VouchModels

/// The results JSON of `adapter-generate` (snake-case keys, sorted): per model — B, R, the
/// hybrid and the replacement model — greedy and sampled accuracy, mean length and wait rate;
/// accuracy recovery over both floors and the replacement's length relative to R's
/// (METHOD §5.2, §8.5).
struct AdapterGenerationResults: Encodable {
  /// One decoding's recovery and length ratio.
  struct Recovery: Encodable {
    /// `(acc_repl − acc_B) / (acc_R − acc_B)`; `null` when R's accuracy equals B's.
    var overBase: Double?
    /// `(acc_repl − acc_H) / (acc_R − acc_H)`; `null` when R's accuracy equals the hybrid's.
    var overHybrid: Double?
    /// Replacement mean length over R's; `null` when R's is 0.
    var lengthRatio: Double?
    /// Hybrid mean length over R's; `null` when R's is 0.
    var hybridLengthRatio: Double?

    init(
      base: OrganismEvaluationReport, reasoning: OrganismEvaluationReport,
      hybrid: OrganismEvaluationReport, replacement: OrganismEvaluationReport
    ) {
      let recovery = OrganismAccuracyRecovery(
        model: replacement.accuracy, reasoning: reasoning.accuracy, base: base.accuracy,
        hybrid: hybrid.accuracy)
      overBase = recovery.overBase
      overHybrid = recovery.overHybrid
      lengthRatio = Self.ratio(replacement.meanLength, reasoning.meanLength)
      hybridLengthRatio = Self.ratio(hybrid.meanLength, reasoning.meanLength)
    }

    static func ratio(_ a: Double, _ b: Double) -> Double? { b == 0 ? nil : a / b }
  }

  /// Held-out problems evaluated.
  var problems: Int
  /// Samples per problem for the sampled decoding.
  var samplesPerProblem: Int
  /// The response token cap.
  var maxNewTokens: Int
  /// The sampled decoding's temperature.
  var temperature: Double
  /// B.
  var base: [String: OrganismResults.Metrics]
  /// R.
  var reasoning: [String: OrganismResults.Metrics]
  /// R with B's MLPs.
  var hybrid: [String: OrganismResults.Metrics]
  /// The hybrid plus the adapters.
  var replacement: [String: OrganismResults.Metrics]
  /// Per decoding (`greedy`, `sampled`), recovery and length ratios.
  var recovery: [String: Recovery]

  init(
    settings: GenerationStageSettings, base: OrganismResults.ModelResults,
    reasoning: OrganismResults.ModelResults, hybrid: OrganismResults.ModelResults,
    replacement: OrganismResults.ModelResults
  ) {
    problems = settings.problems.count
    samplesPerProblem = settings.samples
    maxNewTokens = settings.maxNewTokens
    temperature = settings.temperature
    self.base = base.metrics
    self.reasoning = reasoning.metrics
    self.hybrid = hybrid.metrics
    self.replacement = replacement.metrics
    recovery = [
      "greedy": Recovery(
        base: base.greedy, reasoning: reasoning.greedy, hybrid: hybrid.greedy,
        replacement: replacement.greedy),
      "sampled": Recovery(
        base: base.sampled, reasoning: reasoning.sampled, hybrid: hybrid.sampled,
        replacement: replacement.sampled),
    ]
  }
}
