import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// What the adapter stages (`adapter-train`, `adapter-evaluate`) read: the model pair and the
/// adapter-training sequences of METHOD.md §8.2, split the same way by both stages.
///
/// The split is a fixed rule, not a parameter: of the `N` examples of the `data` file (JSON
/// Lines of an `organism-data` stage, in file order) the first `⌊0.9·N⌋` train and the rest
/// validate (`OrganismSplit.trainAndValidation`). Each sequence is the
/// example's prompt and response without the final `<eos>`, truncated to `T_max`, R's
/// `max_position_embeddings` (64 for tiny-A).
struct AdapterStageInputs {
  /// The target model R.
  var target: Qwen2Parameters<Float>
  /// The base model B.
  var base: Qwen2Parameters<Float>
  /// `T_max`, the truncation length.
  var maximumLength: Int
  /// The first `⌊0.9·N⌋` sequences.
  var train: [[Int]]
  /// The remaining sequences.
  var validation: [[Int]]

  /// Loads R (`target`), B (`base`) and the sequences of `data`, all resolved within the
  /// stage's inputs under `directory`.
  /// - Throws: `PipelineError.usage` naming the parameter for a model that cannot be loaded,
  ///   models of different architectures, unreadable data or data with fewer than 2 examples.
  static func load(_ parameters: StageParameters, in directory: URL) throws -> AdapterStageInputs {
    let target = try model("target", parameters, in: directory)
    let base = try model("base", parameters, in: directory)
    let r = target.configuration
    guard base.configuration.sharesArchitecture(with: r) else {
      throw parameters.error(
        "base", "has another architecture than 'target'; pass R and the B it was tuned from")
    }
    let maximumLength = r.maxPositionEmbeddings ?? OrganismPreset.tinyA.maximumLength
    let dataURL = try parameters.inputPath("data", in: directory)
    let examples = try OrganismDataFile.read(
      OrganismDataFile.Example.self, from: dataURL,
      what: "stage '\(parameters.stage.name)': data")
    let sequences = try examples.enumerated().map { index, example in
      guard var ids = OrganismVocabulary.encode(example.prompt + example.response) else {
        throw parameters.error(
          "data", "line \(index + 1) uses text outside the organism vocabulary")
      }
      if ids.last == OrganismVocabulary.eos { ids.removeLast() }
      return Array(ids.prefix(maximumLength))
    }
    let split = OrganismSplit.trainAndValidation(sequences)
    guard !split.train.isEmpty, !split.validation.isEmpty else {
      throw parameters.error(
        "data", "holds \(sequences.count) examples; the 90/10 split needs at least 2")
    }
    return AdapterStageInputs(
      target: target, base: base, maximumLength: maximumLength,
      train: split.train, validation: split.validation)
  }

  /// The Hugging Face model folder named by parameter `key`.
  static func model(_ key: String, _ parameters: StageParameters, in directory: URL) throws
    -> Qwen2Parameters<Float>
  {
    let folder = try parameters.inputPath(key, in: directory)
    do {
      let configuration = try Qwen2Configuration(
        contentsOf: folder.appendingPathComponent("config.json"))
      return try Qwen2Parameters(
        source: try SafetensorsFolder(directory: folder), configuration: configuration)
    } catch let error as ModelError {
      throw parameters.error(key, "cannot be loaded: \(error.message)")
    }
  }
}
