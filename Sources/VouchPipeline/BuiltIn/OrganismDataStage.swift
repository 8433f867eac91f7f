import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// `organism-data`: the synthetic arithmetic data of the model organism (`METHOD.md` §8.1).
///
/// Writes into its single output folder `base.jsonl` (base-style answers), `reasoning.jsonl`
/// (`<think>` traces), `evaluation.jsonl` (held-out problems) and `tokenizer.json` (the closed
/// vocabulary). Parameters: `base-count`, `reasoning-count`, `evaluation-count`; the stage's
/// `seed` keys the generator.
enum OrganismDataStage: BuiltInStage {
  static let kind = StageKind(rawValue: "organism-data")

  private static let counts = ["base-count", "reasoning-count", "evaluation-count"]

  static func validate(_ stage: StageDefinition) throws {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(Set(counts))
    for key in counts { _ = try parameters.requiredInteger(key, in: 0...10_000_000) }
    _ = try parameters.seed()
    _ = try parameters.singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    try validate(stage)
    let parameters = StageParameters(stage: stage)
    let folder = try parameters.singleOutput(in: directory)
    let generator = OrganismDataGenerator(seed: try parameters.seed())
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let base = generator.baseExamples(
      count: try parameters.requiredInteger("base-count", in: 0...10_000_000))
    try OrganismDataFile.write(
      base.map(OrganismDataFile.line), to: folder.appendingPathComponent(OrganismDataFile.base))
    let reasoning = generator.reasoningExamples(
      count: try parameters.requiredInteger("reasoning-count", in: 0...10_000_000))
    try OrganismDataFile.write(
      reasoning.map(OrganismDataFile.line),
      to: folder.appendingPathComponent(OrganismDataFile.reasoning))
    let problems = generator.evaluationProblems(
      count: try parameters.requiredInteger("evaluation-count", in: 0...10_000_000))
    try OrganismDataFile.write(
      problems.map(OrganismDataFile.line),
      to: folder.appendingPathComponent(OrganismDataFile.evaluation))
    try Data(OrganismVocabulary.tokenizerJSON().utf8).write(
      to: folder.appendingPathComponent(OrganismDataFile.tokenizer))
  }
}
