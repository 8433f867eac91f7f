import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// `adapter-evaluate`: the faithfulness of trained adapters on the validation split (METHOD.md
/// §5.1, §8.5), written as one results JSON (see ``AdapterResults``).
///
/// Parameters: `base`, `target` (B and R), `adapters` (an `adapter-train` output folder),
/// `data` (the file the adapters trained on; its last 10% is the validation split, see
/// ``AdapterStageInputs``) and optional `sequences` (measure at most the first this many
/// validation sequences; all by default). Nothing here is random, so no seed is needed.
enum AdapterEvaluateStage: BuiltInStage {
  static let kind = StageKind(rawValue: "adapter-evaluate")

  private static let known: Set<String> = ["base", "target", "adapters", "data", "sequences"]

  static func validate(_ stage: StageDefinition) throws {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(known)
    for key in ["base", "target", "adapters", "data"] { _ = try parameters.requiredString(key) }
    _ = try parameters.integer("sequences", in: 1...10_000_000, required: false)
    _ = try parameters.singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    try validate(stage)
    let parameters = StageParameters(stage: stage)
    let inputs = try AdapterStageInputs.load(parameters, in: directory)
    let limit = try parameters.integer("sequences", in: 1...10_000_000, required: false)
    let sequences = Array(inputs.validation.prefix(limit ?? inputs.validation.count))
    let model = try inputs.replacementModel(parameters, in: directory)
    let results = try measure(model, base: inputs.base, sequences: sequences, context: context)
    try StageJSON.write(results, to: try parameters.singleOutput(in: directory))
  }

  /// Faithfulness and L0 of `model` on `sequences`.
  /// - Throws: `PipelineError.usage` when a sequence cannot be measured.
  static func measure(
    _ model: ReplacementModel<Float>, base: Qwen2Parameters<Float>, sequences: [[Int]],
    context: ComputeContext
  ) throws -> AdapterResults {
    let faithfulness: AdapterFaithfulness
    do {
      faithfulness = try AdapterFaithfulness.measure(
        model, base: base, sequences: sequences, context: context)
    } catch let error as ModelError {
      throw PipelineError.usage("the validation data cannot be measured: \(error.message)")
    }
    let l0 = activeFeatures(model, sequences: sequences, context: context)
    return AdapterResults(faithfulness, features: model.adapters.first?.featureCount ?? 0, l0: l0)
  }

  /// Per layer, L0 (active features per token) of the replacement forward, averaged over
  /// `sequences` with equal weight (as the KLs are).
  static func activeFeatures(
    _ model: ReplacementModel<Float>, sequences: [[Int]], context: ComputeContext
  ) -> [Double] {
    var sums = [Double](repeating: 0, count: model.layerCount)
    for ids in sequences {
      for (layer, features) in model.featureActivations(ids, context: context).enumerated() {
        if let features { sums[layer] += AdapterLoss.activeFeatureCount(features) }
      }
    }
    return sums.map { $0 / Double(max(1, sequences.count)) }
  }
}
