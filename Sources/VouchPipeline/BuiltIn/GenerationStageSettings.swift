import Foundation
import VouchEngine
import VouchModels

/// The generation settings every generating stage shares (`organism-evaluate`,
/// `adapter-generate`, `hesitation-study`): the held-out `problems`, `max-new-tokens`,
/// `samples` per problem for the sampled decoding, its `temperature` (default 0.7) and the
/// stage's `seed`. Each model answers greedily once per problem and `samples` times sampled.
struct GenerationStageSettings {
  /// The parameter names these settings read.
  static let keys: Set<String> = ["problems", "max-new-tokens", "samples", "temperature"]

  /// The held-out problems, in file order.
  var problems: [ArithmeticProblem]
  /// Response cap in tokens.
  var maxNewTokens: Int
  /// Samples per problem when sampling.
  var samples: Int
  /// Sampling temperature.
  var temperature: Double
  /// The stage's seed, from which every sample's seed derives.
  var seed: UInt64

  /// Checks the parameters without reading files.
  static func validate(_ parameters: StageParameters) throws {
    _ = try parameters.requiredString("problems")
    _ = try parameters.requiredInteger("max-new-tokens", in: 1...100_000)
    _ = try parameters.requiredInteger("samples", in: 1...10_000)
    if let temperature = try parameters.number("temperature", required: false),
      !(temperature > 0 && temperature.isFinite)
    {
      throw parameters.error("temperature", "must be a positive number, not \(temperature)")
    }
    _ = try parameters.seed()
  }

  /// Reads the settings and the problems file (resolved among the stage's inputs).
  /// - Throws: `PipelineError.usage` naming the parameter for a bad value, an unreadable
  ///   problems file or one with no problems.
  init(_ parameters: StageParameters, in directory: URL) throws {
    try Self.validate(parameters)
    let problemsURL = try parameters.inputPath("problems", in: directory)
    problems = try OrganismDataFile.read(
      OrganismDataFile.Problem.self, from: problemsURL,
      what: "stage '\(parameters.stage.name)': problems"
    ).enumerated().map { try OrganismDataFile.problem($1, index: $0, file: problemsURL) }
    guard !problems.isEmpty else {
      throw parameters.error("problems", "holds no problems; raise the data's evaluation-count")
    }
    maxNewTokens = try parameters.requiredInteger("max-new-tokens", in: 1...100_000)
    samples = try parameters.requiredInteger("samples", in: 1...10_000)
    temperature = try parameters.number("temperature", required: false) ?? 0.7
    seed = try parameters.seed()
  }

  /// `model`'s greedy and sampled reports on the problems; `reasoning` ends the prompt with
  /// `<think>\n` (R, hybrid, replacement), otherwise with `<assistant>` (B).
  /// - Throws: `ModelError` of the forward.
  func evaluate(_ model: Qwen2Model, reasoning: Bool, context: ComputeContext) throws
    -> OrganismResults.ModelResults
  {
    let greedy = try OrganismEvaluator(
      model: model, settings: .greedy(maxNewTokens: maxNewTokens, reasoningPrompt: reasoning)
    ).evaluate(problems, context: context)
    let sampled = try OrganismEvaluator(
      model: model,
      settings: OrganismEvaluationSettings(
        temperature: temperature, samplesPerProblem: samples, seed: seed,
        maxNewTokens: maxNewTokens, reasoningPrompt: reasoning)
    ).evaluate(problems, context: context)
    return OrganismResults.ModelResults(greedy: greedy, sampled: sampled)
  }

  /// The model folder named by parameter `key`, loaded resident.
  /// - Throws: `PipelineError.usage` naming the parameter when it cannot be loaded.
  static func model(_ key: String, _ parameters: StageParameters, in directory: URL) throws
    -> Qwen2Model
  {
    let folder = try parameters.inputPath(key, in: directory)
    do {
      return try Qwen2Model(directory: folder, residency: .resident)
    } catch let error as ModelError {
      throw parameters.error(key, "cannot be loaded: \(error.message)")
    }
  }
}
