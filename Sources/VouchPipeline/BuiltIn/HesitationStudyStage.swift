import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// `hesitation-study`: the paper's necessity and sufficiency tests of hesitation features
/// (METHOD §6.5, §8.5) on the organism, written as one results JSON (see
/// ``HesitationStudyResults``).
///
/// 1. Selection (``HesitationSelection``, fixed in advance): RelP graphs of the "wait" logit on
///    the first `prompts` validation traces cut right before their first "wait"; output and
///    template groups by the 0.5 mass rule. Alive features are those firing at least once on
///    the first `sequences` validation sequences; the selected share of them is reported.
/// 2. Generation on the held-out problems (greedy and seeded sampling), each condition against
///    a reference:
///    - the replacement model, and it with the output group ablated, both groups ablated, and
///      seeded random alive features ablated at 1× and 10× the selected count;
///    - the hybrid, and it with the output group, both groups, and the 1× and 10× random sets
///      added (an adapter holding only those features, no `b_dec`);
///    - R, and R steered by the selected features with their decoder scaled by −0.5 and −1.
///
/// Parameters: `base`, `target`, `adapters`, `data` as `attribute`; `prompts` (default 16),
/// `max-feature-nodes` (default 512), `sequences` (default 200), and the generation settings of
/// ``GenerationStageSettings``. The stage's `seed` keys sampling and the random controls.
enum HesitationStudyStage: BuiltInStage {
  static let kind = StageKind(rawValue: "hesitation-study")

  private static let known = GenerationStageSettings.keys.union([
    "base", "target", "adapters", "data", "prompts", "max-feature-nodes", "sequences",
  ])

  static func validate(_ stage: StageDefinition) throws {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(known)
    for key in ["base", "target", "adapters", "data"] { _ = try parameters.requiredString(key) }
    _ = try parameters.integer("prompts", in: 1...10_000, required: false)
    _ = try parameters.integer("max-feature-nodes", in: 1...1_000_000, required: false)
    _ = try parameters.integer("sequences", in: 1...10_000_000, required: false)
    try GenerationStageSettings.validate(parameters)
    _ = try parameters.singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    try validate(stage)
    let parameters = StageParameters(stage: stage)
    let inputs = try AdapterStageInputs.load(parameters, in: directory)
    let settings = try GenerationStageSettings(parameters, in: directory)
    let models = try AdapterGenerateStage.adapterModels(parameters, in: directory)
    let replacement = try ReplacementModel(
      target: inputs.target, base: inputs.base, adapters: models.adapters)

    let chosen = try select(parameters, replacement: replacement, inputs: inputs, context: context)
    let selected = chosen.selection.selection(layerCount: replacement.layerCount)
    let outputOnly = chosen.selection.selection(
      layerCount: replacement.layerCount, template: false)
    guard selected.count > 0 else {
      throw parameters.error(
        "data", "gives an empty selection: no feature has a positive edge into the 'wait' logit")
    }
    let sequences = try parameters.integer("sequences", in: 1...10_000_000, required: false) ?? 200
    let alive = aliveFeatures(
      replacement, sequences: Array(inputs.validation.prefix(sequences)), context: context)
    let available =
      alive.count
      - alive.features.filter {
        selected.contains(layer: $0.layer, index: $0.index)
      }.count
    guard available >= selected.count else {
      throw parameters.error(
        "sequences",
        "leaves \(available) alive features outside the selection, fewer than "
          + "the \(selected.count) a 1× random control needs; measure more sequences")
    }
    let random1x = selected.randomControl(count: selected.count, from: alive, seed: settings.seed)
    let random10x = selected.randomControl(
      count: min(10 * selected.count, available), from: alive, seed: settings.seed &+ 1)

    var conditions: [(name: String, reference: String?, results: OrganismResults.ModelResults)] =
      []
    func run(_ name: String, _ reference: String?, _ model: Qwen2Model) throws {
      conditions.append(
        (name, reference, try settings.evaluate(model, reasoning: true, context: context)))
    }
    try run("replacement", nil, models.replacement())
    try run("ablate_output", "replacement", models.replacement(ablating: outputOnly))
    try run("ablate_both", "replacement", models.replacement(ablating: selected))
    try run("ablate_random_1x", "replacement", models.replacement(ablating: random1x))
    try run("ablate_random_10x", "replacement", models.replacement(ablating: random10x))
    try run("hybrid", nil, models.hybrid)
    try run("add_output", "hybrid", models.hybrid(adding: outputOnly))
    try run("add_both", "hybrid", models.hybrid(adding: selected))
    try run("add_random_1x", "hybrid", models.hybrid(adding: random1x))
    try run("add_random_10x", "hybrid", models.hybrid(adding: random10x))
    try run("reasoning", nil, models.target)
    try run("steer_half", "reasoning", models.target(steeredBy: selected, scale: -0.5))
    try run("steer_full", "reasoning", models.target(steeredBy: selected, scale: -1))

    let summary = HesitationStudyResults.Selection(
      prompts: chosen.prompts, output: chosen.selection.output,
      template: chosen.selection.template, outputCount: chosen.selection.output.count,
      templateCount: chosen.selection.template.count, selectedCount: selected.count,
      alive: alive.count, selectedShareOfAlive: Double(selected.count) / Double(alive.count),
      random1xCount: random1x.count, random10xCount: random10x.count)
    try StageJSON.write(
      HesitationStudyResults(settings: settings, selection: summary, conditions: conditions),
      to: try parameters.singleOutput(in: directory))
  }

  /// The hesitation selection from RelP graphs of the "wait" logit.
  private static func select(
    _ parameters: StageParameters, replacement: ReplacementModel<Float>,
    inputs: AdapterStageInputs, context: ComputeContext
  ) throws -> (selection: HesitationSelection, prompts: Int) {
    let count = try parameters.integer("prompts", in: 1...10_000, required: false) ?? 16
    var settings = AttributionSettings()
    settings.maxFeatureNodes =
      try parameters.integer("max-feature-nodes", in: 1...1_000_000, required: false) ?? 512
    let wait = OrganismVocabulary.hesitation
    let prompts = AttributeStage.hesitationPrompts(inputs.validation, token: wait).prefix(count)
    guard !prompts.isEmpty else {
      throw parameters.error(
        "data", "has no validation sequence with a hesitation token after its first token")
    }
    let graphs = try prompts.map { prompt in
      do {
        return try Attributor(model: replacement, ids: prompt.ids, context: context)
          .graph(target: .logit(token: wait), settings: settings)
      } catch let error as ModelError {
        throw parameters.error("data", "a prompt cannot be attributed: \(error.message)")
      }
    }
    return (HesitationSelection(graphs: graphs, token: wait), prompts.count)
  }

  /// Every feature that fires (`f > 0`) at some position of `sequences`.
  static func aliveFeatures(
    _ model: ReplacementModel<Float>, sequences: [[Int]], context: ComputeContext
  ) -> FeatureSelection {
    var fired = Array(repeating: Set<Int>(), count: model.layerCount)
    for ids in sequences {
      for (layer, features) in model.featureActivations(ids, context: context).enumerated() {
        guard let features else { continue }
        let width = features.shape[1]
        features.withUnsafeBufferPointer { values in
          for position in values.indices where values[position] > 0 {
            fired[layer].insert(position % width)
          }
        }
      }
    }
    return FeatureSelection(
      layerCount: model.layerCount,
      features: fired.enumerated().flatMap { layer, set in set.map { (layer: layer, index: $0) } })
  }
}
