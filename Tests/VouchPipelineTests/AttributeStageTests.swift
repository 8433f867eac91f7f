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
    let text =
      TinyOrganismChain.stages(reasoningCount: 60) + """
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
