import Foundation
import Testing
import VouchEngine
import VouchLineage
import VouchTestSupport

@testable import VouchPipeline

/// The analysis stages of issue 11 (`adapter-generate`, `adapter-sweep`, `hesitation-study`) on
/// a tiny organism chain: their JSON holds what the claims read, and is byte-identical at one
/// and two threads.
@Suite struct AdapterAnalysisStageTests {
  static let generation =
    "problems = \"organism/data/evaluation.jsonl\", max-new-tokens = 12, samples = 2"

  static let sweepAdapters = "adapters = [\"organism/sweep/low\", \"organism/sweep/high\"]"

  static func pipeline(extra: String = "") throws -> PipelineDefinition {
    let text =
      TinyOrganismChain.stages(reasoningCount: 60, evaluationCount: 3) + """
        [stages.generation]
        kind = "adapter-generate"
        inputs = ["organism/data", "organism/base", "organism/reasoning", "organism/adapters"]
        parameters = { base = "organism/base", target = "organism/reasoning", \
        adapters = "organism/adapters", \(generation) }
        seed = 7
        outputs = ["organism/generation.json"]
        [stages.sweep-low]
        kind = "adapter-train"
        inputs = ["organism/data", "organism/base", "organism/reasoning"]
        parameters = { base = "organism/base", target = "organism/reasoning", \
        data = "organism/data/reasoning.jsonl", features = 16, l1 = 0.001, steps = 2 }
        seed = 3
        outputs = ["organism/sweep/low"]
        [stages.sweep-high]
        kind = "adapter-train"
        inputs = ["organism/data", "organism/base", "organism/reasoning"]
        parameters = { base = "organism/base", target = "organism/reasoning", \
        data = "organism/data/reasoning.jsonl", features = 16, l1 = 0.01, steps = 2 }
        seed = 3
        outputs = ["organism/sweep/high"]
        [stages.sweep]
        kind = "adapter-sweep"
        inputs = ["organism/data", "organism/base", "organism/reasoning", "organism/sweep/low", \
        "organism/sweep/high"]
        parameters = { base = "organism/base", target = "organism/reasoning", \
        data = "organism/data/reasoning.jsonl", \(sweepAdapters), sequences = 3, \(generation) }
        seed = 3
        outputs = ["organism/sweep.json"]
        [stages.hesitation]
        kind = "hesitation-study"
        inputs = ["organism/data", "organism/base", "organism/reasoning", "organism/adapters"]
        parameters = { base = "organism/base", target = "organism/reasoning", \
        adapters = "organism/adapters", data = "organism/data/reasoning.jsonl", prompts = 2, \
        max-feature-nodes = 64, sequences = 6, \(generation) }
        seed = 7
        outputs = ["organism/hesitation.json"]
        \(extra)
        """
    return try PipelineDefinition.parse(
      text, name: "organism", file: "organism.pipeline.toml",
      vocabulary: PipelineCatalog.vocabulary)
  }

  static func json(_ url: URL) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  @Test func analysesWriteTheirClaimsAndDoNotDependOnThreads() throws {
    let pipeline = try Self.pipeline()
    let directory = try TemporaryDirectory(prefix: "analysis")
    let stages = ["generation", "sweep", "hesitation"]
    try AdapterStageTests.run(
      ["data", "base", "reasoning", "adapters", "sweep-low", "sweep-high"] + stages,
      of: pipeline, in: directory.url,
      threads: 1)
    let files = ["organism/generation.json", "organism/sweep.json", "organism/hesitation.json"]
    let first = try files.map { try Data(contentsOf: directory.path($0)) }

    let generation = try Self.json(directory.path(files[0]))
    for model in ["base", "reasoning", "hybrid", "replacement"] {
      let metrics = try #require(
        (generation[model] as? [String: Any])?["sampled"] as? [String: Any])
      #expect(metrics["responses"] as? Int == 6)
      #expect(metrics["hesitation_rate"] is Double)
    }
    #expect((generation["recovery"] as? [String: Any])?["greedy"] != nil)

    let sweep = try Self.json(directory.path(files[1]))
    let points = try #require(sweep["points"] as? [[String: Any]])
    #expect(points.map { $0["l1"] as? Double } == [0.001, 0.01])
    #expect(sweep["l0_monotone"] as? Int != nil)

    let study = try Self.json(directory.path(files[2]))
    let conditions = try #require(study["conditions"] as? [String: Any])
    #expect(conditions.count == 13)
    let selection = try #require(study["selection"] as? [String: Any])
    let selected = try #require(selection["selected_count"] as? Int)
    #expect(selected > 0)
    #expect(selection["random1x_count"] as? Int == selected)
    let deltas = try #require((study["deltas"] as? [String: Any])?["sampled"] as? [String: Any])
    #expect(deltas["ablate_both"] != nil && deltas["steer_half"] != nil)
    #expect(deltas["replacement"] == nil)

    let reversed = try Self.pipeline(
      extra: """
        [stages.reversed]
        kind = "adapter-sweep"
        inputs = ["organism/data", "organism/base", "organism/reasoning", "organism/sweep/low", \
        "organism/sweep/high"]
        parameters = { base = "organism/base", target = "organism/reasoning", \
        data = "organism/data/reasoning.jsonl", \
        adapters = ["organism/sweep/high", "organism/sweep/low"], sequences = 3, \(Self.generation) }
        seed = 3
        outputs = ["organism/reversed.json"]
        """)
    let error = #expect(throws: PipelineError.self) {
      try AdapterStageTests.run(["reversed"], of: reversed, in: directory.url, threads: 1)
    }
    #expect("\(error.map { "\($0)" } ?? "")".contains("ascending order of λ_L1"))
    #expect(!FileManager.default.fileExists(atPath: directory.path("organism/reversed.json").path))

    for file in files { try FileManager.default.removeItem(at: directory.path(file)) }
    try AdapterStageTests.run(stages, of: pipeline, in: directory.url, threads: 2)
    let again = try files.map { try Data(contentsOf: directory.path($0)) }
    #expect(first == again)
  }

  @Test func badParametersAreOneLineErrors() throws {
    let base = "inputs = [\"organism/data\", \"organism/base\", \"organism/reasoning\"]"
    let cases = [
      (
        "kind = \"adapter-sweep\"\n\(base)\nparameters = { base = \"organism/base\", "
          + "target = \"organism/reasoning\", data = \"organism/data/reasoning.jsonl\", "
          + "adapters = [\"organism/base\", \"organism/base\"], sequences = 3, "
          + "\(Self.generation) }",
        "twice"
      ),
      (
        "kind = \"adapter-sweep\"\n\(base)\nparameters = { base = \"organism/base\", "
          + "target = \"organism/reasoning\", data = \"organism/data/reasoning.jsonl\", "
          + "adapters = [\"organism/elsewhere\"], sequences = 3, \(Self.generation) }",
        "not within the stage's inputs"
      ),
      (
        "kind = \"adapter-sweep\"\n\(base)\nparameters = { base = \"organism/base\", "
          + "target = \"organism/reasoning\", data = \"organism/data/reasoning.jsonl\", "
          + "adapters = \"organism/base\", sequences = 3, \(Self.generation) }",
        "non-empty list"
      ),
      (
        "kind = \"adapter-generate\"\n\(base)\nparameters = { base = \"organism/base\", "
          + "target = \"organism/reasoning\", adapters = \"organism/adapters\", "
          + "\(Self.generation), temperature = 0 }",
        "temperature"
      ),
    ]
    for (body, word) in cases {
      let stage = "[stages.bad]\n\(body)\nseed = 1\noutputs = [\"organism/bad.json\"]"
      let definition = try #require(try Self.pipeline(extra: stage).stage(named: "bad"))
      let error = try #require(AdapterStageTests.validationError(definition))
      #expect("\(error)".contains(word), "\(error)")
      #expect(!"\(error)".contains("\n"))
    }
  }
}
