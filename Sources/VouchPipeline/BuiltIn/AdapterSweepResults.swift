import Foundation
import VouchModels

/// The results JSON of `adapter-sweep` (snake-case keys, sorted): one point per λ_L1 with L0,
/// KL closed, accuracy recovery and length, and whether L0 falls as λ rises.
struct AdapterSweepResults: Encodable {
  /// One λ_L1's adapters.
  struct Point: Encodable {
    /// λ_L1.
    var l1: Double
    /// Mean L0 over layers on the validation split.
    var meanL0: Double
    /// `KL(p_R ‖ q_replacement)`.
    var replacementKL: Double
    /// `1 − replacement KL / hybrid KL`.
    var fractionOfKLClosed: Double
    /// The replacement model's greedy and sampled answers.
    var replacement: [String: OrganismResults.Metrics]
    /// Per decoding, recovery over both floors and the length ratio against R.
    var recovery: [String: AdapterGenerationResults.Recovery]

    private enum CodingKeys: String, CodingKey {
      case l1, replacement, recovery
      case meanL0 = "mean_l0"
      case replacementKL = "replacement_kl"
      case fractionOfKLClosed = "fraction_of_kl_closed"
    }

    init(
      l1: Double, faithfulness: AdapterResults, replacement: OrganismResults.ModelResults,
      base: OrganismResults.ModelResults, reasoning: OrganismResults.ModelResults,
      hybrid: OrganismResults.ModelResults
    ) {
      self.l1 = l1
      meanL0 = faithfulness.meanL0
      replacementKL = faithfulness.replacementKL
      fractionOfKLClosed = faithfulness.fractionOfKLClosed
      self.replacement = replacement.metrics
      recovery = [
        "greedy": .init(
          base: base.greedy, reasoning: reasoning.greedy, hybrid: hybrid.greedy,
          replacement: replacement.greedy),
        "sampled": .init(
          base: base.sampled, reasoning: reasoning.sampled, hybrid: hybrid.sampled,
          replacement: replacement.sampled),
      ]
    }
  }

  /// Held-out problems evaluated.
  var problems: Int
  /// Samples per problem for the sampled decoding.
  var samplesPerProblem: Int
  /// The response token cap.
  var maxNewTokens: Int
  /// Validation sequences measured per point.
  var sequences: Int
  /// One point per λ, ascending.
  var points: [Point]
  /// Number of consecutive pairs of points whose L0 falls as λ rises.
  var l0Decreases: Int
  /// 1 when L0 falls strictly at every step of λ, else 0 (METHOD §9's monotonicity check).
  var l0Monotone: Int
  /// B, R and the hybrid: the recovery floors and reference.
  var base: [String: OrganismResults.Metrics]
  var reasoning: [String: OrganismResults.Metrics]
  var hybrid: [String: OrganismResults.Metrics]

  init(
    settings: GenerationStageSettings, sequences: Int, points: [Point],
    base: OrganismResults.ModelResults, reasoning: OrganismResults.ModelResults,
    hybrid: OrganismResults.ModelResults
  ) {
    problems = settings.problems.count
    samplesPerProblem = settings.samples
    maxNewTokens = settings.maxNewTokens
    self.sequences = sequences
    self.points = points
    l0Decreases = zip(points, points.dropFirst()).filter { $1.meanL0 < $0.meanL0 }.count
    l0Monotone = l0Decreases == max(0, points.count - 1) ? 1 : 0
    self.base = base.metrics
    self.reasoning = reasoning.metrics
    self.hybrid = hybrid.metrics
  }
}
