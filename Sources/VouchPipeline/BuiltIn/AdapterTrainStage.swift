import Foundation
import VouchEngine
import VouchLineage
import VouchModels

/// `adapter-train`: trains one transcoder adapter per layer between B and R (METHOD.md §8.4)
/// and writes a folder with `adapters.safetensors` (the library's checkpoint, adapters only),
/// `adapter.json` (the configuration) and `training.json` (see ``AdapterTrainingSummary``).
///
/// Parameters: `base` and `target` (model folders of B and R), `data` (JSON Lines of an
/// `organism-data` stage; split 90/10 as ``AdapterStageInputs`` documents, the first 90%
/// train), `features` (F per layer), `l1` (λ_L1), `steps` or `epochs`; optional
/// `learning-rate` (default 8e-4), `objective` (`released`, the default, or `paper`) and
/// `bridging` (overrides the objective's bridging weight; 0 is the no-bridging ablation). The
/// stage's `seed` keys the adapters' initialisation, the data order and the cutoffs.
enum AdapterTrainStage: BuiltInStage {
  static let kind = StageKind(rawValue: "adapter-train")

  /// The checkpoint's file name in the output folder.
  static let checkpointName = "adapters.safetensors"
  /// The configuration's file name in the output folder.
  static let configurationName = "adapter.json"
  /// The training log's file name in the output folder.
  static let trainingName = "training.json"

  private static let objectives = ["released", "paper"]
  private static let known: Set<String> = [
    "base", "target", "data", "features", "l1", "learning-rate", "steps", "epochs", "objective",
    "bridging",
  ]

  /// What a run is asked to do, read from the parameters.
  struct Plan: Encodable {
    /// `F`, features per layer.
    var features: Int
    /// `released` or `paper`.
    var objective: String
    /// The trainer's configuration.
    var training: AdapterTrainingConfiguration

    private enum CodingKeys: String, CodingKey {
      case features, objective, seed, epochs, steps, learningRate, maximumGradientNorm
      case outputWeight, sparsityWeight, nmseWeight, bridgingWeight, cutoffs
    }

    /// Writes `adapter.json`: every knob the run used, defaults included, flat.
    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      let o = training.objective
      try container.encode(features, forKey: .features)
      try container.encode(objective, forKey: .objective)
      try container.encode(training.seed, forKey: .seed)
      try container.encode(training.epochs, forKey: .epochs)
      try container.encodeIfPresent(training.steps, forKey: .steps)
      try container.encode(training.learningRate, forKey: .learningRate)
      try container.encode(training.maximumGradientNorm, forKey: .maximumGradientNorm)
      try container.encode(o.outputWeight, forKey: .outputWeight)
      try container.encode(o.sparsityWeight, forKey: .sparsityWeight)
      try container.encode(o.nmseWeight, forKey: .nmseWeight)
      try container.encode(o.bridgingWeight, forKey: .bridgingWeight)
      try container.encode(o.cutoffSupport.rawValue, forKey: .cutoffs)
    }
  }

  /// Reads and checks the parameters.
  static func plan(_ stage: StageDefinition) throws -> Plan {
    let parameters = StageParameters(stage: stage)
    try parameters.rejectUnknown(known)
    guard let l1 = try parameters.number("l1") else { throw parameters.error("l1", "is missing") }
    return try plan(parameters, l1: l1)
  }

  /// The training knobs of `parameters`, with λ_L1 `l1`.
  static func plan(_ parameters: StageParameters, l1: Double) throws -> Plan {
    for key in ["base", "target", "data"] { _ = try parameters.requiredString(key) }
    let features = try parameters.requiredInteger("features", in: 1...65_536)
    let objectiveName = try parameters.string("objective", required: false) ?? "released"
    guard objectives.contains(objectiveName) else {
      throw parameters.error(
        "objective", "is '\(objectiveName)'; use one of \(objectives.joined(separator: ", "))")
    }
    var objective = objectiveName == "paper" ? AdapterObjective.paper() : AdapterObjective()
    objective.sparsityWeight = l1
    if let bridging = try parameters.number("bridging", required: false) {
      objective.bridgingWeight = bridging
    }
    var training = AdapterTrainingConfiguration()
    training.seed = try parameters.seed()
    training.objective = objective
    if let rate = try parameters.number("learning-rate", required: false) {
      guard rate > 0 else { throw parameters.error("learning-rate", "must be > 0, not 0") }
      training.learningRate = rate
    }
    let length = try parameters.trainingLength()
    training.steps = length.steps
    if let epochs = length.epochs { training.epochs = epochs }
    return Plan(features: features, objective: objectiveName, training: training)
  }

  static func validate(_ stage: StageDefinition) throws {
    _ = try plan(stage)
    _ = try StageParameters(stage: stage).singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    let plan = try plan(stage)
    let parameters = StageParameters(stage: stage)
    let output = try parameters.singleOutput(in: directory)
    let inputs = try AdapterStageInputs.load(parameters, in: directory)
    let (model, log) = try train(plan, inputs: inputs, context: context)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    try TranscoderAdapter.safetensors(model.adapters).write(
      to: output.appendingPathComponent(checkpointName))
    try StageJSON.write(plan, to: output.appendingPathComponent(configurationName))
    try StageJSON.write(
      AdapterTrainingSummary(log: log, inputs: inputs),
      to: output.appendingPathComponent(trainingName))
  }

  /// Trains adapters between `inputs`' B and R on its training split as `plan` says.
  static func train(_ plan: Plan, inputs: AdapterStageInputs, context: ComputeContext) throws
    -> (model: ReplacementModel<Float>, log: [AdapterTrainingStep])
  {
    var model = try ReplacementModel<Float>(
      target: inputs.target, base: inputs.base, featureCount: plan.features,
      seed: plan.training.seed)
    let log = try AdapterTrainer(configuration: plan.training).train(
      &model, on: inputs.train, context: context)
    return (model, log)
  }
}
