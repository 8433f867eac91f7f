import Foundation
import VouchModels

/// The results JSON of `hesitation-study` (snake-case keys, sorted): the selected features,
/// every condition's greedy and sampled metrics, and each condition's change against its
/// reference (the unablated replacement for ablations, the hybrid for additions, R for
/// steering) — the paper's "ablation length deltas" (METHOD §6.5).
struct HesitationStudyResults: Encodable {
  /// What was selected and how many features each control draws.
  struct Selection: Encodable {
    /// Prompts attributed.
    var prompts: Int
    /// Hesitation-output features, ranked with their scores.
    var output: [HesitationSelection.Scored]
    /// Template features, ranked with their scores.
    var template: [HesitationSelection.Scored]
    /// Number of output features.
    var outputCount: Int
    /// Number of template features.
    var templateCount: Int
    /// Both groups.
    var selectedCount: Int
    /// Features that fire at least once on the measured validation sequences.
    var alive: Int
    /// `selectedCount / alive`.
    var selectedShareOfAlive: Double
    /// Random features drawn for the 1× controls.
    var random1xCount: Int
    /// Random features drawn for the 10× controls (fewer only when the alive pool is smaller).
    var random10xCount: Int
  }

  /// A condition against its reference under one decoding.
  struct Delta: Encodable {
    /// The reference condition's name.
    var reference: String
    /// Wait rate minus the reference's (per 1,000 tokens).
    var waitRateChange: Double
    /// That change over the reference's wait rate (`null` when it is 0).
    var waitRateRelative: Double?
    /// Mean length minus the reference's (tokens).
    var lengthChange: Double
    /// That change over the reference's mean length (`null` when it is 0).
    var lengthRelative: Double?
    /// Accuracy minus the reference's (fraction).
    var accuracyChange: Double

    init(
      _ metrics: OrganismResults.Metrics, against reference: OrganismResults.Metrics, named: String
    ) {
      self.reference = named
      waitRateChange = metrics.hesitationRate - reference.hesitationRate
      waitRateRelative =
        reference.hesitationRate == 0 ? nil : waitRateChange / reference.hesitationRate
      lengthChange = metrics.meanLength - reference.meanLength
      lengthRelative = reference.meanLength == 0 ? nil : lengthChange / reference.meanLength
      accuracyChange = metrics.accuracy - reference.accuracy
    }
  }

  /// Held-out problems evaluated.
  var problems: Int
  /// Samples per problem for the sampled decoding.
  var samplesPerProblem: Int
  /// The response token cap.
  var maxNewTokens: Int
  /// The selection.
  var selection: Selection
  /// Per condition, `greedy` and `sampled` metrics.
  var conditions: [String: [String: OrganismResults.Metrics]]
  /// Per decoding, per condition with a reference, the change.
  var deltas: [String: [String: Delta]]

  init(
    settings: GenerationStageSettings, selection: Selection,
    conditions: [(name: String, reference: String?, results: OrganismResults.ModelResults)]
  ) {
    problems = settings.problems.count
    samplesPerProblem = settings.samples
    maxNewTokens = settings.maxNewTokens
    self.selection = selection
    var table: [String: [String: OrganismResults.Metrics]] = [:]
    for condition in conditions { table[condition.name] = condition.results.metrics }
    self.conditions = table
    var deltas: [String: [String: Delta]] = [:]
    for decoding in ["greedy", "sampled"] {
      var row: [String: Delta] = [:]
      for condition in conditions {
        guard let reference = condition.reference,
          let mine = table[condition.name]?[decoding], let theirs = table[reference]?[decoding]
        else { continue }
        row[condition.name] = Delta(mine, against: theirs, named: reference)
      }
      deltas[decoding] = row
    }
    self.deltas = deltas
  }
}
