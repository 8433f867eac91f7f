import Foundation
import Testing
import VouchEngine
import VouchLineage
import VouchTestSupport

@testable import VouchPipeline

/// The built-in `adapter-features` stage, run in-process on a tiny organism chain: its labels
/// folder, byte-identical at 1 and 2 threads, consistent totals, and its parameter checks.
@Suite struct AdapterFeaturesStageTests {
  /// Data → B → R → adapters (3 steps) → feature labels, `features` being the tail of the
  /// feature stage's parameter table and `seed` its seed line.
  static func pipeline(features: String = "", seed: String = "seed = 4") throws
    -> PipelineDefinition
  {
    let text =
      TinyOrganismChain.stages(reasoningCount: 40) + """
        [stages.features]
        kind = "adapter-features"
        inputs = ["organism/data", "organism/base", "organism/reasoning", "organism/adapters"]
        parameters = { base = "organism/base", target = "organism/reasoning", \
        adapters = "organism/adapters", data = "organism/data/reasoning.jsonl"\(features) }
        \(seed)
        outputs = ["organism/features"]
        """
    return try PipelineDefinition.parse(
      text, name: "organism", file: "organism.pipeline.toml",
      vocabulary: PipelineCatalog.vocabulary)
  }

  static func json(_ url: URL) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  @Test func labelsAreIdenticalOnOneAndTwoThreadsAndAddUp() throws {
    let pipeline = try Self.pipeline()
    let one = try TemporaryDirectory(prefix: "features1")
    let two = try TemporaryDirectory(prefix: "features2")
    try AdapterStageTests.run(
      ["data", "base", "reasoning", "adapters"], of: pipeline, in: one.url, threads: 2)
    try FileManager.default.copyItem(at: one.path("organism"), to: two.path("organism"))
    try AdapterStageTests.run(["features"], of: pipeline, in: one.url, threads: 1)
    try AdapterStageTests.run(["features"], of: pipeline, in: two.url, threads: 2)
    for file in ["features.jsonl", "summary.json"] {
      let a = try Data(contentsOf: one.path("organism/features/\(file)"))
      let b = try Data(contentsOf: two.path("organism/features/\(file)"))
      #expect(!a.isEmpty && a == b, "\(file) differs between 1 and 2 threads")
    }

    let summary = try Self.json(one.path("organism/features/summary.json"))
    #expect(summary["layers"] as? Int == 4 && summary["features_per_layer"] as? Int == 16)
    #expect(summary["features"] as? Int == 64 && summary["sequences"] as? Int == 4)
    let alive = try #require(summary["alive"] as? Int)
    #expect((summary["alive_per_layer"] as? [Int])?.reduce(0, +) == alive)
    let categories = try #require(summary["categories"] as? [String: Int])
    #expect(categories.keys.sorted() == ["domain", "language", "reasoning", "uninterpretable"])
    #expect(categories.values.reduce(0, +) == alive)
    let reasoning = Double(categories["reasoning"] ?? -1)
    #expect(summary["reasoning_fraction"] as? Double == (alive > 0 ? reasoning / Double(alive) : 0))
    let regionTokens = try #require(summary["region_tokens"] as? [String: Int])
    let tokens = try #require(summary["tokens"] as? Int)
    #expect(tokens > 0 && regionTokens.count == 18)
    #expect(regionTokens.filter { $0.key != "thinking" }.values.reduce(0, +) == tokens)
    #expect(
      regionTokens["thinking"]
        == (0..<10).reduce(0) { $0 + (regionTokens["thinking_\($1)"] ?? 0) })

    let labels = try FeatureLabels.read(from: one.path("organism/features"), shownAs: "features")
    #expect(labels.labels.count == 64)
    #expect(labels.labels.filter(\.alive).count == alive)
    for label in labels.labels {
      #expect(label.alive == (label.count > 0) && (label.category != nil) == label.alive)
      #expect(label.frequency == Double(label.count) / Double(tokens))
      #expect(label.regionCounts.filter { $0.key != "thinking" }.values.reduce(0, +) == label.count)
      #expect(label.topExamples.count == min(20, label.count))
      #expect(label.randomExamples.count == min(10, label.count))
      #expect(label.logitLens.scores.count == 31 && label.logitLens.top.count == 10)
      #expect((label.mechanism != nil) == (label.category == "reasoning"))
    }
    // Each line is the canonical compact encoding of its label.
    let lines = try String(
      contentsOf: one.path("organism/features/features.jsonl"), encoding: .utf8
    ).split(separator: "\n")
    #expect(lines.count == 64 && lines.allSatisfy { $0.hasPrefix("{\"alive\":") })
  }

  @Test func theOutputIsRecordedAsLabels() {
    #expect(BuiltInStages.stage(for: AdapterFeaturesStage.kind)?.outputKind == .labels)
    #expect(BuiltInStages.stage(for: AdapterEvaluateStage.kind)?.outputKind == nil)
  }

  @Test(arguments: [
    (", sequences = 0", "seed = 4", "parameter 'sequences'"),
    (", sample = 3", "seed = 4", "parameter 'sample'"),
    ("", "", "'seed' is missing"),
  ])
  func badParametersAreOneLineErrors(tail: String, seed: String, message: String) throws {
    #expect(
      AdapterStageTests.validationError(try #require(try Self.pipeline().stage(named: "features")))
        == nil)
    let stage = try #require(
      try Self.pipeline(features: tail, seed: seed).stage(named: "features"))
    let error = try #require(AdapterStageTests.validationError(stage))
    #expect(!error.message.contains("\n") && error.message.contains(message), "\(error.message)")
    #expect(error.message.contains("stage 'features'"), "\(error.message)")
  }
}
