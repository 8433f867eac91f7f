import Foundation
import Testing
import VouchEngine
import VouchLineage
import VouchTestSupport

@testable import VouchPipeline

/// The built-in `attribute` stage on a tiny organism chain: hesitation-logit graphs of the
/// validation traces, byte-identical at one and two threads.
@Suite struct AttributeStageTests {
  static func pipeline() throws -> PipelineDefinition {
    let text = """
      schemaVersion = 1
      [stages.data]
      kind = "organism-data"
      parameters = { base-count = 12, reasoning-count = 60, evaluation-count = 2 }
      seed = 1
      outputs = ["organism/data"]
      [stages.base]
      kind = "organism-train"
      inputs = ["organism/data"]
      parameters = { mode = "base-from-scratch", preset = "tiny-A", \
      data = "organism/data/base.jsonl", steps = 2, learning-rate = 0.001 }
      seed = 1
      outputs = ["organism/base"]
      [stages.reasoning]
      kind = "organism-train"
      inputs = ["organism/data", "organism/base"]
      parameters = { mode = "fine-tune-full", preset = "tiny-A", model = "organism/base", \
      data = "organism/data/reasoning.jsonl", steps = 2, learning-rate = 0.001 }
      seed = 2
      outputs = ["organism/reasoning"]
      [stages.adapters]
      kind = "adapter-train"
      inputs = ["organism/data", "organism/base", "organism/reasoning"]
      parameters = { base = "organism/base", target = "organism/reasoning", \
      data = "organism/data/reasoning.jsonl", features = 16, l1 = 0.001, steps = 3 }
      seed = 3
      outputs = ["organism/adapters"]
      [stages.attribution]
      kind = "attribute"
      inputs = ["organism/data", "organism/base", "organism/reasoning", "organism/adapters"]
      parameters = { base = "organism/base", target = "organism/reasoning", \
      adapters = "organism/adapters", data = "organism/data/reasoning.jsonl", prompts = 2, \
      max-feature-nodes = 64 }
      outputs = ["organism/attribution"]
      """
    return try PipelineDefinition.parse(
      text, name: "organism", file: "organism.pipeline.toml",
      vocabulary: PipelineCatalog.vocabulary)
  }

  @Test func graphsOfTheHesitationLogitAreCompleteAndThreadIndependent() throws {
    let pipeline = try Self.pipeline()
    let directory = try TemporaryDirectory(prefix: "attribute")
    try AdapterStageTests.run(
      ["data", "base", "reasoning", "adapters", "attribution"], of: pipeline, in: directory.url,
      threads: 1)
    let folder = directory.path("organism/attribution")
    let first = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(first.contains("summary.json") && first.contains("graph-0.json"))
    let summaryData = try Data(contentsOf: folder.appendingPathComponent("summary.json"))
    let summary = try #require(
      try JSONSerialization.jsonObject(with: summaryData) as? [String: Any])
    let prompts = try #require(summary["prompts"] as? [[String: Any]])
    #expect(!prompts.isEmpty)
    print(
      "attribute stage: \(prompts.count) prompts, mean completeness error "
        + "\(summary["mean_completeness_error"] ?? "?"), mean nodes kept "
        + "\(summary["mean_nodes_kept"] ?? "?"), mean edges kept \(summary["mean_edges_kept"] ?? "?")"
    )
    #expect(((summary["maximum_completeness_error"] as? Double) ?? 1) < 1e-3)
    let bytes = try first.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    try FileManager.default.removeItem(at: folder)
    try AdapterStageTests.run(["attribution"], of: pipeline, in: directory.url, threads: 2)
    let again = try first.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    #expect(bytes == again)
  }
}
