import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// `organism-evaluate`: greedy and seeded-sampled generation of the organism's models on the
/// held-out problems, written as one results JSON (see ``OrganismResults``).
///
/// Parameters: `problems` (an `evaluation.jsonl`), `base` and `reasoning` model folders, an
/// optional `control` folder, `max-new-tokens`, `samples` (per problem, for sampling) and
/// optional `temperature` (default 0.7). The stage's `seed` keys sampling. The base model is
/// prompted without `<think>`, the others with it.
enum OrganismEvaluateStage: BuiltInStage {
  static let kind = StageKind(rawValue: "organism-evaluate")

  private static let known = GenerationStageSettings.keys.union(["base", "reasoning", "control"])

  static func validate(_ stage: StageDefinition) throws {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(known)
    for key in ["base", "reasoning"] { _ = try parameters.requiredString(key) }
    _ = try parameters.string("control", required: false)
    try GenerationStageSettings.validate(parameters)
    _ = try parameters.singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    try validate(stage)
    let parameters = StageParameters(stage: stage)
    let settings = try GenerationStageSettings(parameters, in: directory)
    func evaluate(_ key: String, reasoning: Bool) throws -> OrganismResults.ModelResults {
      try settings.evaluate(
        GenerationStageSettings.model(key, parameters, in: directory), reasoning: reasoning,
        context: context)
    }
    let base = try evaluate("base", reasoning: false)
    let reasoning = try evaluate("reasoning", reasoning: true)
    let control =
      stage.parameters["control"] == nil ? nil : try evaluate("control", reasoning: true)
    let results = OrganismResults(
      problems: settings.problems.count, samplesPerProblem: settings.samples,
      maxNewTokens: settings.maxNewTokens, temperature: settings.temperature,
      base: base.metrics, reasoning: reasoning.metrics, control: control?.metrics,
      comparison: OrganismResults.Comparison(
        greedy: .init(OrganismPairComparison(base: base.greedy, reasoning: reasoning.greedy)),
        sampled: .init(OrganismPairComparison(base: base.sampled, reasoning: reasoning.sampled))))
    try results.write(to: try parameters.singleOutput(in: directory))
  }
}
