import Foundation

/// The `summary.json` of an `attribute` stage: one entry per prompt and the means claims use.
struct AttributionStageSummary: Codable, Hashable {
  /// One prompt's graph.
  struct Prompt: Codable, Hashable {
    /// The index of the prompt's sequence in the validation split.
    var sequence: Int
    /// The graph's numbers (nodes, kept edges, completeness error, top features by direct edge
    /// into the hesitation logit).
    var graph: AttributionSummary
  }

  /// The id of the attributed token ("wait").
  var hesitationToken: Int
  /// Per prompt, in validation order.
  var prompts: [Prompt]
  /// The mean of the prompts' completeness errors.
  var meanCompletenessError: Double
  /// The largest completeness error.
  var maximumCompletenessError: Double
  /// The mean number of nodes kept by pruning.
  var meanNodesKept: Double
  /// The mean number of edges kept by pruning.
  var meanEdgesKept: Double

  /// The summary of `prompts`.
  init(hesitationToken: Int, prompts: [Prompt]) {
    self.hesitationToken = hesitationToken
    self.prompts = prompts
    let count = Double(max(prompts.count, 1))
    meanCompletenessError = prompts.map(\.graph.completenessError).reduce(0, +) / count
    maximumCompletenessError = prompts.map(\.graph.completenessError).max() ?? 0
    meanNodesKept = Double(prompts.map(\.graph.nodesKept).reduce(0, +)) / count
    meanEdgesKept = Double(prompts.map(\.graph.edgesKept).reduce(0, +)) / count
  }
}
