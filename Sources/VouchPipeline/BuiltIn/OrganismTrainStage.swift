import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// `organism-train`: trains an organism model and saves it as a Hugging Face folder
/// (`config.json`, `model.safetensors`, `tokenizer.json`) plus `training.json` (the loss log).
///
/// Parameters: `mode` (`base-from-scratch`, `fine-tune-full` or `fine-tune-mlp`), `data` (a
/// JSON Lines file of an `organism-data` stage), `model` (the folder fine-tunes start from),
/// `preset` (`tiny-A`/`tiny-B`: the architecture from scratch and the sequence length),
/// `learning-rate`, and `steps` or `epochs`; optional `batch-size`, `weight-decay`. The stage's
/// `seed` keys initialisation and data order.
enum OrganismTrainStage: BuiltInStage {
  static let kind = StageKind(rawValue: "organism-train")

  private static let modes = ["base-from-scratch", "fine-tune-full", "fine-tune-mlp"]
  private static let known: Set<String> = [
    "mode", "data", "model", "preset", "learning-rate", "steps", "epochs", "batch-size",
    "weight-decay",
  ]

  /// What a run is asked to do, read from the parameters.
  private struct Plan {
    var mode: String
    var preset: OrganismPreset
    var configuration: OrganismTrainingConfiguration
  }

  private static func plan(_ stage: StageDefinition) throws -> Plan {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(known)
    let mode = try parameters.choice("mode", modes)
    let presetName = try parameters.choice("preset", OrganismPreset.allCases.map(\.rawValue))
    guard let preset = OrganismPreset(rawValue: presetName) else {
      throw parameters.error("preset", "is unknown")
    }
    _ = try parameters.requiredString("data")
    if mode == "base-from-scratch" {
      if stage.parameters["model"] != nil {
        throw parameters.error("model", "is only for fine-tunes; remove it or change 'mode'")
      }
    } else {
      _ = try parameters.requiredString("model")
    }
    var configuration = OrganismTrainingConfiguration()
    configuration.seed = try parameters.seed()
    configuration.mode = mode == "fine-tune-mlp" ? .mlpOnly : .full
    configuration.learningRate = try parameters.number("learning-rate") ?? 0
    let length = try parameters.trainingLength()
    configuration.steps = length.steps
    if let epochs = length.epochs { configuration.epochs = epochs }
    if let batch = try parameters.integer("batch-size", in: 1...4096, required: false) {
      configuration.batchSize = batch
    }
    if let decay = try parameters.number("weight-decay", required: false) {
      configuration.weightDecay = decay
    }
    return Plan(mode: mode, preset: preset, configuration: configuration)
  }

  static func validate(_ stage: StageDefinition) throws {
    _ = try plan(stage)
    _ = try StageParameters(stage: stage).singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    let plan = try plan(stage)
    let parameters = StageParameters(stage: stage)
    let output = try parameters.singleOutput(in: directory)
    let dataURL = try parameters.inputPath("data", in: directory)
    let examples = try OrganismDataFile.read(
      OrganismDataFile.Example.self, from: dataURL, what: "stage '\(stage.name)': data")
    let length = plan.preset.maximumLength
    let sequences = try examples.enumerated().map { index, example in
      guard let prompt = OrganismVocabulary.encode(example.prompt),
        let ids = OrganismVocabulary.encode(example.prompt + example.response)
      else {
        throw parameters.error(
          "data", "line \(index + 1) uses text outside the organism vocabulary")
      }
      return OrganismTrainingSequence(
        ids: ids, promptLength: prompt.count, maximumLength: length, scope: .response)
    }
    var model: Qwen2Parameters<Float>
    if plan.mode == "base-from-scratch" {
      model = Qwen2Parameters(
        configuration: plan.preset.configuration, seed: plan.configuration.seed)
    } else {
      let folder = try parameters.inputPath("model", in: directory)
      do {
        let configuration = try Qwen2Configuration(
          contentsOf: folder.appendingPathComponent("config.json"))
        model = try Qwen2Parameters(
          source: try SafetensorsFolder(directory: folder), configuration: configuration)
      } catch let error as ModelError {
        throw parameters.error("model", "cannot be loaded: \(error.message)")
      }
    }
    let log = try OrganismTrainer(configuration: plan.configuration).train(
      &model, on: sequences, context: context)
    try model.save(to: output, tokenizerJSON: OrganismVocabulary.tokenizerJSON())
    try TrainingSummary(log: log, sequences: sequences).write(
      to: output.appendingPathComponent("training.json"))
  }
}

/// `training.json`: the losses of a training run, for claims and plots.
struct TrainingSummary: Codable {
  /// Optimiser steps taken.
  var steps: Int
  /// Input tokens in the training set.
  var tokens: Int
  /// Mean loss over the first tenth of the steps (nats per target token).
  var firstLoss: Double
  /// Mean loss over the last tenth of the steps.
  var finalLoss: Double
  /// Loss per step.
  var losses: [Double]

  init(log: [OrganismTrainingStep], sequences: [OrganismTrainingSequence]) {
    steps = log.count
    tokens = sequences.reduce(0) { $0 + $1.inputs.count }
    let tenth = max(1, log.count / 10)
    func mean(_ slice: ArraySlice<OrganismTrainingStep>) -> Double {
      slice.reduce(0) { $0 + $1.loss } / Double(max(1, slice.count))
    }
    firstLoss = mean(log.prefix(tenth))
    finalLoss = mean(log.suffix(tenth))
    losses = log.map(\.loss)
  }

  func write(to url: URL) throws { try StageJSON.write(self, to: url, pretty: false) }
}
