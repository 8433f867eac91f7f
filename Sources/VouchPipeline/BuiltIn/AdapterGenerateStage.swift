import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// `adapter-generate`: B, R, the hybrid and the replacement model answer the held-out problems
/// (greedy and seeded sampling, KV cache), and the replacement model's accuracy recovery and
/// length are measured against them (METHOD §5.2, §8.5). See ``AdapterGenerationResults``.
///
/// Parameters: `base`, `target` (B and R model folders), `adapters` (an `adapter-train` output
/// folder) and the generation settings of ``GenerationStageSettings``. All four models run in
/// the one stage with the same settings, so recovery never mixes numbers of different runs.
enum AdapterGenerateStage: BuiltInStage {
  static let kind = StageKind(rawValue: "adapter-generate")

  private static let known = GenerationStageSettings.keys.union(["base", "target", "adapters"])

  static func validate(_ stage: StageDefinition) throws {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(known)
    for key in ["base", "target", "adapters"] { _ = try parameters.requiredString(key) }
    try GenerationStageSettings.validate(parameters)
    _ = try parameters.singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    try validate(stage)
    let parameters = StageParameters(stage: stage)
    let settings = try GenerationStageSettings(parameters, in: directory)
    let models = try adapterModels(parameters, in: directory)
    let base = try GenerationStageSettings.model("base", parameters, in: directory)
    let results = AdapterGenerationResults(
      settings: settings,
      base: try settings.evaluate(base, reasoning: false, context: context),
      reasoning: try settings.evaluate(models.target, reasoning: true, context: context),
      hybrid: try settings.evaluate(models.hybrid, reasoning: true, context: context),
      replacement: try settings.evaluate(models.replacement(), reasoning: true, context: context))
    try StageJSON.write(results, to: try parameters.singleOutput(in: directory))
  }

  /// R (`target`), B (`base`) and the `adapters`, as the generation variants.
  /// - Throws: `PipelineError.usage` naming the parameter that cannot be loaded or does not fit.
  static func adapterModels(_ parameters: StageParameters, in directory: URL) throws
    -> AdapterModels
  {
    let target = try GenerationStageSettings.model("target", parameters, in: directory)
    let base = try GenerationStageSettings.model("base", parameters, in: directory)
    let adapters = try AdapterStageInputs.adapters(
      "adapters", parameters, in: directory, configuration: target.configuration)
    do {
      return try AdapterModels(target: target, base: base, adapters: adapters)
    } catch let error as ModelError {
      throw parameters.error("base", "does not fit 'target': \(error.message)")
    }
  }
}
