import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// `attribute`: RelP attribution graphs of the hesitation token on R-style validation traces
/// (METHOD.md §6.4, §8.5), written as a folder of graphs and a `summary.json`.
///
/// Parameters: `base`, `target` (B and R), `adapters` (an `adapter-train` output folder), `data`
/// (the file the adapters trained on; its validation split, see ``AdapterStageInputs``),
/// optional `prompts` (how many prompts, default 4) and `max-feature-nodes` (default 512).
/// Each prompt is a validation sequence cut right before its first hesitation token
/// (`OrganismVocabulary.hesitation`, "wait"; sequences without one, or starting with one, are
/// skipped); the target is that token's logit. The output folder holds `graph-<k>.json`
/// (circuit-tracer frontend JSON), `graph-<k>.dot` and ``AttributionStageSummary`` as
/// `summary.json`. Nothing is random, so no seed is needed.
enum AttributeStage: BuiltInStage {
  static let kind = StageKind(rawValue: "attribute")

  private static let known: Set<String> = [
    "base", "target", "adapters", "data", "prompts", "max-feature-nodes",
  ]

  static func validate(_ stage: StageDefinition) throws {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(known)
    for key in ["base", "target", "adapters", "data"] { _ = try parameters.requiredString(key) }
    _ = try parameters.integer("prompts", in: 1...10_000, required: false)
    _ = try parameters.integer("max-feature-nodes", in: 1...1_000_000, required: false)
    _ = try parameters.singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    try validate(stage)
    let parameters = StageParameters(stage: stage)
    let inputs = try AdapterStageInputs.load(parameters, in: directory)
    let count = try parameters.integer("prompts", in: 1...10_000, required: false) ?? 4
    var settings = AttributionSettings()
    settings.maxFeatureNodes =
      try parameters.integer("max-feature-nodes", in: 1...1_000_000, required: false) ?? 512
    let runner: AttributionRunner
    do {
      runner = try AttributionRunner(
        model: try parameters.inputPath("target", in: directory),
        adapters: try parameters.inputPath("adapters", in: directory),
        base: try parameters.inputPath("base", in: directory), context: context)
    } catch let error as ModelError {
      throw parameters.error("adapters", "cannot be loaded with the models: \(error.message)")
    }
    let wait = OrganismVocabulary.hesitation
    let prompts = hesitationPrompts(inputs.validation, token: wait).prefix(count)
    guard !prompts.isEmpty else {
      throw parameters.error(
        "data", "has no validation sequence with a hesitation token after its first token")
    }
    let output = try parameters.singleOutput(in: directory)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    var entries: [AttributionStageSummary.Prompt] = []
    for (k, prompt) in prompts.enumerated() {
      let result: AttributionResult
      do {
        result = try runner.attribute(
          ids: prompt.ids, target: .logit(token: wait), settings: settings, slug: "graph-\(k)")
      } catch let error as ModelError {
        throw parameters.error("data", "prompt \(k) cannot be attributed: \(error.message)")
      }
      try result.json.write(to: output.appendingPathComponent("graph-\(k).json"))
      try result.dot.write(to: output.appendingPathComponent("graph-\(k).dot"))
      var summary = result.summary
      summary.seconds = nil
      entries.append(AttributionStageSummary.Prompt(sequence: prompt.sequence, graph: summary))
    }
    try StageJSON.write(
      AttributionStageSummary(hesitationToken: wait, prompts: entries),
      to: output.appendingPathComponent("summary.json"))
  }

  /// Each sequence holding `token` after position 0, cut right before its first occurrence, with
  /// the sequence's index in the validation split.
  static func hesitationPrompts(_ sequences: [[Int]], token: Int) -> [(sequence: Int, ids: [Int])] {
    sequences.enumerated().compactMap { index, ids in
      guard let cut = ids.firstIndex(of: token), cut > 0 else { return nil }
      return (index, Array(ids[..<cut]))
    }
  }
}
