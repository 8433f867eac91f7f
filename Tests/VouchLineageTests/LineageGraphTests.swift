import Foundation
import Testing
import VouchCore

@testable import VouchLineage

@Suite struct LineageGraphTests {
  /// raw.csv (added) → clean → clean.csv → features → feats.bin → report → report.json
  func chain() throws -> (LineageGraph, [String: Digest]) {
    let digests = Dictionary(
      uniqueKeysWithValues: ["raw.csv", "clean.csv", "feats.bin", "report.json", "clean.py"].map {
        ($0, Digest.of(Data($0.utf8)))
      })
    func run(_ stage: String, _ inputs: [String], _ output: String) throws -> RunRecord {
      var record = try RunRecord(
        pipeline: "p", stage: stage, kind: .command, command: "make \(output)",
        inputs: Dictionary(uniqueKeysWithValues: inputs.map { ($0, digests[$0] ?? .of(Data())) }),
        parameters: [:], seed: nil, code: CodeState(commit: nil, dirty: true),
        engine: EngineFingerprint([:]), outputPaths: [output])
      record.outputs[output] = digests[output]
      return record
    }
    let records = [
      try run("clean", ["raw.csv", "clean.py"], "clean.csv"),
      try run("features", ["clean.csv"], "feats.bin"),
      try run("report", ["feats.bin"], "report.json"),
    ]
    return (LineageGraph(records: records), digests)
  }

  @Test func upstreamReachesTheRawInputs() throws {
    let (graph, digests) = try chain()
    let report = try #require(graph.latest(path: "report.json"))
    #expect(report.digest == digests["report.json"])
    let tree = graph.upstream(of: report)
    #expect(tree.run?.stage == "report")
    let features = try #require(tree.inputs.first)
    #expect(features.run?.stage == "features")
    let clean = try #require(features.inputs.first)
    #expect(clean.run?.stage == "clean")
    #expect(clean.inputs.map(\.artifact.path) == ["clean.py", "raw.csv"])
    #expect(clean.inputs.allSatisfy { $0.run == nil && $0.inputs.isEmpty })
  }

  @Test func downstreamListsEverythingDerived() throws {
    let (graph, digests) = try chain()
    let raw = try #require(digests["raw.csv"])
    #expect(graph.downstream(of: raw).map(\.stage) == ["clean", "features", "report"])
    let feats = try #require(digests["feats.bin"])
    #expect(graph.downstream(of: feats).map(\.stage) == ["report"])
    #expect(graph.downstream(of: try #require(digests["report.json"])).isEmpty)
  }
}
