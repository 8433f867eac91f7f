import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// `adapter-sweep`: the paper's sparsity/faithfulness trade-off (METHOD §2.4, §8.4, §9). It
/// reads adapters trained at several λ_L1 — each the output folder of its own `adapter-train`
/// stage, so each training is a stage that reruns (and reproduces) alone — measures their
/// faithfulness and L0 on the validation split (as `adapter-evaluate`), lets each replacement
/// model answer the held-out problems (as `adapter-generate`), and writes one results JSON
/// (see ``AdapterSweepResults``), including whether L0 falls as λ rises — METHOD §9 doubts the
/// README's table that pairs larger λ with larger L0.
///
/// Parameters: `base`, `target`, `data` as `adapter-evaluate`; `adapters`, the list of
/// `adapter-train` output folders in ascending order of their λ (read from each folder's
/// `adapter.json`); `sequences` (validation sequences measured); the generation settings of
/// ``GenerationStageSettings``. B, R and the hybrid answer once for the recovery floors.
enum AdapterSweepStage: BuiltInStage {
  static let kind = StageKind(rawValue: "adapter-sweep")

  private static let known = GenerationStageSettings.keys.union([
    "base", "target", "data", "adapters", "sequences",
  ])

  /// The part of `adapter.json` the sweep reads.
  private struct TrainedConfiguration: Decodable {
    var sparsityWeight: Double
    private enum CodingKeys: String, CodingKey { case sparsityWeight = "sparsity_weight" }
  }

  static func validate(_ stage: StageDefinition) throws {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(known)
    for key in ["base", "target", "data"] { _ = try parameters.requiredString(key) }
    let folders = try parameters.strings("adapters")
    for folder in folders {
      _ = try parameters.inputPath(folder, key: "adapters", in: URL(fileURLWithPath: "/"))
    }
    guard Set(folders).count == folders.count else {
      throw parameters.error("adapters", "names a folder twice; list each trained λ once")
    }
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
    let trained = try parameters.strings("adapters").map {
      try parameters.inputPath($0, key: "adapters", in: directory)
    }
    let lambdas = try trained.map { try sparsityWeight(of: $0, parameters) }
    guard zip(lambdas, lambdas.dropFirst()).allSatisfy({ $0 < $1 }) else {
      throw parameters.error(
        "adapters",
        "must list adapters in ascending order of λ_L1 (theirs: "
          + "\(lambdas.map { "\($0)" }.joined(separator: ", ")))")
    }
    let settings = try GenerationStageSettings(parameters, in: directory)
    let target = try GenerationStageSettings.model("target", parameters, in: directory)
    let baseModel = try GenerationStageSettings.model("base", parameters, in: directory)
    let hybridModel = try target.withMLPs(of: baseModel)
    let base = try settings.evaluate(baseModel, reasoning: false, context: context)
    let reasoning = try settings.evaluate(target, reasoning: true, context: context)
    let hybrid = try settings.evaluate(hybridModel, reasoning: true, context: context)
    var points: [AdapterSweepResults.Point] = []
    for (folder, l1) in zip(trained, lambdas) {
      let adapters = try AdapterStageInputs.adapters(
        in: folder, key: "adapters", parameters, configuration: inputs.target.configuration)
      let replacementModel: ReplacementModel<Float>
      do {
        replacementModel = try ReplacementModel(
          target: inputs.target, base: inputs.base, adapters: adapters)
      } catch let error as ModelError {
        throw parameters.error("adapters", "cannot be loaded: \(error.message)")
      }
      let faithfulness = try AdapterEvaluateStage.measure(
        replacementModel, base: inputs.base, sequences: sequences, context: context)
      let models = try AdapterModels(target: target, base: baseModel, adapters: adapters)
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

  /// λ_L1 of the adapters in `folder`, from its `adapter.json`.
  private static func sparsityWeight(of folder: URL, _ parameters: StageParameters) throws
    -> Double
  {
    let file = folder.appendingPathComponent(AdapterTrainStage.configurationName)
    guard let data = try? Data(contentsOf: file),
      let configuration = try? JSONDecoder().decode(TrainedConfiguration.self, from: data)
    else {
      throw parameters.error(
        "adapters",
        "names '\(folder.lastPathComponent)', which holds no readable "
          + "\(AdapterTrainStage.configurationName); list output folders of adapter-train stages")
    }
    return configuration.sparsityWeight
  }
}
