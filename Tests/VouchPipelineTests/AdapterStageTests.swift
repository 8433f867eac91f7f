import Foundation
import Testing
import VouchEngine
import VouchLineage
import VouchTestSupport

@testable import VouchPipeline

/// The built-in `adapter-train` and `adapter-evaluate` stages, run in-process on a tiny organism
/// chain (a few training steps each): parameters, outputs and thread-count independence.
@Suite struct AdapterStageTests {
  /// The adapter stage's parameters after its three paths.
  static let adapterTail = ", features = 16, l1 = 0.001, steps = 3"

  /// A chain from data to adapter evaluation, with `adapters` and `evaluation` as the tails of
  /// the adapter stages' parameter tables.
  static func pipeline(adapters: String = adapterTail, evaluation: String = "") throws
    -> PipelineDefinition
  {
    let text =
      TinyOrganismChain.stages(reasoningCount: 20, adapters: adapters) + """
        [stages.adapter-evaluation]
        kind = "adapter-evaluate"
        inputs = ["organism/data", "organism/base", "organism/reasoning", "organism/adapters"]
        parameters = { base = "organism/base", target = "organism/reasoning", \
        adapters = "organism/adapters", data = "organism/data/reasoning.jsonl"\(evaluation) }
        outputs = ["organism/adapter-results.json"]
        """
    return try PipelineDefinition.parse(
      text, name: "organism", file: "organism.pipeline.toml",
      vocabulary: PipelineCatalog.vocabulary)
  }

  /// Runs `names` of `pipeline` in `directory` with `threads` engine threads.
  static func run(
    _ names: [String], of pipeline: PipelineDefinition, in directory: URL, threads: Int
  ) throws {
    let context = ComputeContext(profile: .exact, threads: threads)
    for name in names {
      let stage = try #require(pipeline.stage(named: name))
      let builtIn = try #require(BuiltInStages.stage(for: stage.kind))
      try builtIn.validate(stage)
      try builtIn.run(stage, in: directory, context: context)
    }
  }

  /// The error `validate` throws for `stage`, or `nil`.
  static func validationError(_ stage: StageDefinition) -> PipelineError? {
    do {
      try BuiltInStages.stage(for: stage.kind)?.validate(stage)
      return nil
    } catch let error as PipelineError {
      return error
    } catch {
      return PipelineError.usage("unexpected \(error)")
    }
  }

  @Test func trainsIdenticallyOnOneAndTwoThreadsAndEvaluates() throws {
    let pipeline = try Self.pipeline(evaluation: ", sequences = 2")
    let one = try TemporaryDirectory(prefix: "adapters1")
    let two = try TemporaryDirectory(prefix: "adapters2")
    try Self.run(["data", "base", "reasoning"], of: pipeline, in: one.url, threads: 2)
    try FileManager.default.copyItem(at: one.path("organism"), to: two.path("organism"))
    try Self.run(["adapters", "adapter-evaluation"], of: pipeline, in: one.url, threads: 1)
    try Self.run(["adapters"], of: pipeline, in: two.url, threads: 2)
    for file in ["adapters.safetensors", "adapter.json", "training.json"] {
      let a = try Data(contentsOf: one.path("organism/adapters/\(file)"))
      let b = try Data(contentsOf: two.path("organism/adapters/\(file)"))
      #expect(!a.isEmpty && a == b, "\(file) differs between 1 and 2 threads")
    }
    let training = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: one.path("organism/adapters/training.json"))) as? [String: Any])
    #expect(training["steps"] as? Int == 3)
    #expect(training["train_sequences"] as? Int == 18)
    #expect(training["validation_sequences"] as? Int == 2)
    #expect((training["final_l0"] as? [Double])?.count == 4)
    #expect((training["final_loss"] as? Double).map { $0.isFinite && $0 > 0 } == true)
    let configuration = try String(
      contentsOf: one.path("organism/adapters/adapter.json"), encoding: .utf8)
    #expect(configuration.contains("\"bridging_weight\" : 2"), "\(configuration)")
    let results = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: one.path("organism/adapter-results.json"))) as? [String: Any])
    #expect(results["sequences"] as? Int == 2)
    let replacement = try #require(results["replacement_kl"] as? Double)
    let hybrid = try #require(results["hybrid_kl"] as? Double)
    let fraction = try #require(results["fraction_of_kl_closed"] as? Double)
    #expect(hybrid > 0 && replacement >= 0)
    #expect(abs(fraction - (1 - replacement / hybrid)) < 1e-12)
    #expect((results["first_k_kl"] as? [Double])?.count == 5)
    #expect((results["single_layer_kl"] as? [Double])?.count == 4)
    #expect((results["nmse"] as? [Double])?.first == 0, "R's embeddings are shared")
    #expect((results["l0"] as? [Double])?.count == 4)
  }

  @Test(arguments: [
    ("adapters", ", features = 0, l1 = 0.001, steps = 3", "features"),
    ("adapters", ", features = 16, l1 = \"small\", steps = 3", "l1"),
    ("adapters", ", features = 16, steps = 3", "l1"),
    ("adapters", ", features = 16, l1 = 0.001", "steps"),
    ("adapters", ", features = 16, l1 = 0.001, steps = 3, epochs = 1", "epochs"),
    ("adapters", ", features = 16, l1 = 0.001, steps = 3, objective = \"mine\"", "objective"),
    ("adapters", ", features = 16, l1 = 0.001, steps = 3, bridging = -1.0", "bridging"),
    ("adapters", ", features = 16, l1 = 0.001, steps = 3, learning-rate = 0", "learning-rate"),
    ("adapters", ", features = 16, l1 = 0.001, steps = 3, lr = 0.1", "lr"),
    ("adapter-evaluation", ", sequences = 0", "sequences"),
    ("adapter-evaluation", ", adapter = \"x\"", "adapter"),
  ])
  func badParametersNameTheKeyInOneLine(stageName: String, tail: String, key: String) throws {
    #expect(Self.validationError(try #require(try Self.pipeline().stage(named: stageName))) == nil)
    let pipeline =
      stageName == "adapters"
      ? try Self.pipeline(adapters: tail) : try Self.pipeline(evaluation: tail)
    let stage = try #require(pipeline.stage(named: stageName))
    let error = try #require(Self.validationError(stage))
    #expect(!error.message.contains("\n"), "\(error.message)")
    #expect(error.message.contains("stage '\(stageName)'"), "\(error.message)")
    #expect(error.message.contains("parameter '\(key)'"), "\(error.message)")
  }
}
