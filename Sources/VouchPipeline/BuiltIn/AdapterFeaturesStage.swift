import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// `adapter-features`: the feature statistics of METHOD.md §6.1 and the rule-based labels of
/// §6.2/§8.5 for trained adapters, written as a `labels` artifact folder.
///
/// Parameters: `base`, `target` (B and R), `adapters` (an `adapter-train` output folder),
/// `data` (the file the adapters trained on; its last 10% is the validation split, see
/// ``AdapterStageInputs``) and optional `sequences` (collect over at most the first this many
/// validation sequences; all by default). The stage's `seed` keys the reservoir sampling of
/// random examples (``FeatureCollector/reservoirPurpose``).
///
/// The output folder holds `features.jsonl` (one ``FeatureLabel`` per feature, layer-major,
/// canonical compact JSON per line) and `summary.json` (``FeatureLabelSummary``, what claims
/// cite: `$.alive`, `$.reasoning_fraction`, `$.categories.reasoning`, …).
///
/// Labels come from ``FeatureClassifier``, whose rules and thresholds were fixed in its source
/// before any organism result was seen: reasoning when the logit lens is led by a
/// hesitation/check word (output) or at least half of the top ten examples fire on such a word or
/// on a trace newline before one (input_simple when one token makes ≥ 80% of them, else
/// input_abstract); domain or language by a strict majority of the examples' activating tokens;
/// uninterpretable with fewer than 5 activations or no majority. Every alive feature (frequency
/// ≥ 1e-7) is classified, not a sample.
enum AdapterFeaturesStage: BuiltInStage {
  static let kind = StageKind(rawValue: "adapter-features")
  static let outputKind: ArtifactKind? = .labels

  private static let known: Set<String> = ["base", "target", "adapters", "data", "sequences"]

  static func validate(_ stage: StageDefinition) throws {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(known)
    for key in ["base", "target", "adapters", "data"] { _ = try parameters.requiredString(key) }
    _ = try parameters.integer("sequences", in: 1...10_000_000, required: false)
    _ = try parameters.seed()
    _ = try parameters.singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    try validate(stage)
    let parameters = StageParameters(stage: stage)
    let seed = try parameters.seed()
    let inputs = try AdapterStageInputs.load(parameters, in: directory)
    let limit = try parameters.integer("sequences", in: 1...10_000_000, required: false)
    let sequences = Array(inputs.validation.prefix(limit ?? inputs.validation.count))
    let model = try inputs.replacementModel(parameters, in: directory)
    guard model.configuration.vocabularySize == OrganismVocabulary.size else {
      throw parameters.error(
        "target",
        "has a vocabulary of \(model.configuration.vocabularySize) tokens; the feature regions "
          + "and labels need the organism's \(OrganismVocabulary.size)")
    }
    let statistics = FeatureCollector.collect(
      model, sequences: sequences, seed: seed, context: context)
    let classifier = FeatureClassifier(tokenTexts: OrganismVocabulary.tokenTexts)
    let labels = statistics.features.map {
      FeatureLabel($0, statistics: statistics, classifier: classifier)
    }
    let summary = FeatureLabelSummary(
      labels, statistics: statistics, seed: seed, vocabulary: OrganismVocabulary.tokenTexts)
    try FeatureLabels.write(
      labels, summary: summary, to: try parameters.singleOutput(in: directory))
  }
}
