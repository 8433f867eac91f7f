import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// `adapter-sweep`: the paper's sparsity/faithfulness trade-off (METHOD §2.4, §8.4, §9). For
/// each λ_L1 of the list `l1` it trains adapters (as `adapter-train`, shorter runs allowed),
/// measures their faithfulness and L0 on the validation split (as `adapter-evaluate`) and lets
/// the replacement model answer the held-out problems (as `adapter-generate`), and writes one
/// results JSON (see ``AdapterSweepResults``), including whether L0 falls as λ rises — METHOD
/// §9 doubts the README's table that pairs larger λ with larger L0.
///
/// Parameters: those of `adapter-train` with `l1` a list (ascending), `sequences` (validation
/// sequences measured) and the generation settings of ``GenerationStageSettings``. B, R and
/// the hybrid answer once for the recovery floors.
enum AdapterSweepStage: BuiltInStage {
  static let kind = StageKind(rawValue: "adapter-sweep")

  private static let trainKeys: Set<String> = [
    "base", "target", "data", "features", "learning-rate", "steps", "epochs", "objective",
    "bridging",
  ]
  private static let known = trainKeys.union(GenerationStageSettings.keys).union([
    "l1", "sequences",
  ])

  /// The list of λ, checked to be strictly ascending.
  private static func lambdas(_ parameters: StageParameters) throws -> [Double] {
    let values = try parameters.numbers("l1")
    guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
      throw parameters.error("l1", "must list distinct values in ascending order")
    }
    return values
  }

  static func validate(_ stage: StageDefinition) throws {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(known)
    for l1 in try lambdas(parameters) { _ = try AdapterTrainStage.plan(parameters, l1: l1) }
    _ = try parameters.requiredInteger("sequences", in: 1...10_000_000)
    try GenerationStageSettings.validate(parameters)
    _ = try parameters.singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    try validate(stage)
    let parameters = StageParameters(stage: stage)
    let inputs = try AdapterStageInputs.load(parameters, in: directory)
    let limit = try parameters.requiredInteger("sequences", in: 1...10_000_000)
    let sequences = Array(inputs.validation.prefix(limit))
    let settings = try GenerationStageSettings(parameters, in: directory)
    let target = try GenerationStageSettings.model("target", parameters, in: directory)
    let baseModel = try GenerationStageSettings.model("base", parameters, in: directory)
    let hybridModel = try target.withMLPs(of: baseModel)
    let base = try settings.evaluate(baseModel, reasoning: false, context: context)
    let reasoning = try settings.evaluate(target, reasoning: true, context: context)
    let hybrid = try settings.evaluate(hybridModel, reasoning: true, context: context)
    var points: [AdapterSweepResults.Point] = []
    for l1 in try lambdas(parameters) {
      let plan = try AdapterTrainStage.plan(parameters, l1: l1)
      let trained = try AdapterTrainStage.train(plan, inputs: inputs, context: context)
      let faithfulness = try AdapterEvaluateStage.measure(
        trained.model, base: inputs.base, sequences: sequences, context: context)
      let models = try AdapterModels(
        target: target, base: baseModel, adapters: trained.model.adapters)
      let replacement = try settings.evaluate(
        models.replacement(), reasoning: true, context: context)
      points.append(
        AdapterSweepResults.Point(
          l1: l1, faithfulness: faithfulness, replacement: replacement, base: base,
          reasoning: reasoning, hybrid: hybrid))
    }
    let results = AdapterSweepResults(
      settings: settings, sequences: sequences.count, points: points, base: base,
      reasoning: reasoning, hybrid: hybrid)
    try StageJSON.write(results, to: try parameters.singleOutput(in: directory))
  }
}
