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

  private static let known: Set<String> = [
    "problems", "base", "reasoning", "control", "max-new-tokens", "samples", "temperature",
  ]

  static func validate(_ stage: StageDefinition) throws {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(known)
    for key in ["problems", "base", "reasoning"] { _ = try parameters.requiredString(key) }
    _ = try parameters.string("control", required: false)
    _ = try parameters.requiredInteger("max-new-tokens", in: 1...100_000)
    _ = try parameters.requiredInteger("samples", in: 1...10_000)
    _ = try parameters.number("temperature", required: false)
    _ = try parameters.seed()
    _ = try parameters.singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    try validate(stage)
    let parameters = StageParameters(stage: stage)
    let problemsURL = try parameters.inputPath("problems", in: directory)
    let problems = try OrganismDataFile.read(
      OrganismDataFile.Problem.self, from: problemsURL, what: "stage '\(stage.name)': problems"
    ).enumerated().map { try OrganismDataFile.problem($1, index: $0, file: problemsURL) }
    guard !problems.isEmpty else {
      throw parameters.error("problems", "holds no problems; raise the data's evaluation-count")
    }
    let cap = try parameters.requiredInteger("max-new-tokens", in: 1...100_000)
    let samples = try parameters.requiredInteger("samples", in: 1...10_000)
    let temperature = try parameters.number("temperature", required: false) ?? 0.7
    let seed = try parameters.seed()
    func evaluate(_ key: String, reasoning: Bool) throws -> OrganismResults.ModelResults {
      let folder = try parameters.inputPath(key, in: directory)
      let model: Qwen2Model
      do {
        model = try Qwen2Model(directory: folder, residency: .resident)
      } catch let error as ModelError {
        throw parameters.error(key, "cannot be loaded: \(error.message)")
      }
      let greedy = try OrganismEvaluator(
        model: model, settings: .greedy(maxNewTokens: cap, reasoningPrompt: reasoning)
      ).evaluate(problems, context: context)
      let sampled = try OrganismEvaluator(
        model: model,
        settings: OrganismEvaluationSettings(
          temperature: temperature, samplesPerProblem: samples, seed: seed, maxNewTokens: cap,
          reasoningPrompt: reasoning)
      ).evaluate(problems, context: context)
      return OrganismResults.ModelResults(greedy: greedy, sampled: sampled)
    }
    let base = try evaluate("base", reasoning: false)
    let reasoning = try evaluate("reasoning", reasoning: true)
    let control =
      stage.parameters["control"] == nil ? nil : try evaluate("control", reasoning: true)
    let results = OrganismResults(
      problems: problems.count, samplesPerProblem: samples, maxNewTokens: cap,
      base: base.metrics, reasoning: reasoning.metrics, control: control?.metrics,
      comparison: OrganismResults.Comparison(
        greedy: .init(OrganismPairComparison(base: base.greedy, reasoning: reasoning.greedy)),
        sampled: .init(OrganismPairComparison(base: base.sampled, reasoning: reasoning.sampled))))
    try results.write(to: try parameters.singleOutput(in: directory))
  }
}
