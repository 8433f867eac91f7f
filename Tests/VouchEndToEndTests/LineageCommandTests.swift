import Foundation
import Testing
import VouchTestSupport

@Suite struct LineageCommandTests {
  /// The example plus a third stage that turns the metric into a report.
  func threeStages() throws -> Sandbox {
    let sandbox = try Sandbox.pipeline()
    try sandbox.write(
      "report.sh", "mkdir -p results\ncat results/metric.json > results/report.txt\n")
    let pipeline = try #require(sandbox.text("manifests/metric.pipeline.toml"))
    try sandbox.write(
      "manifests/metric.pipeline.toml",
      pipeline + """

        [stages.report]
        command = "sh report.sh"
        inputs = ["report.sh", "results/metric.json"]
        outputs = ["results/report.txt"]

        """)
    let run = try sandbox.vouch(["run"])
    try #require(run.status == 0, "\(run.stderr)")
    return sandbox
  }

  @Test func upstreamChainOfThreeStages() throws {
    let sandbox = try threeStages()
    let result = try sandbox.vouch(["lineage", "results/report.txt"])
    #expect(result.status == 0, "\(result.stderr)")
    let text = result.stdout
    for expected in [
      "results/report.txt", "run metric:report", "results/metric.json", "run metric:metric",
      "data/points.csv", "run metric:make-dataset", "make_dataset.sh", "(raw input)", "seed: 42",
      "parameters: {\"rows\":2000}", "command: sh metric.sh",
    ] {
      #expect(text.contains(expected), "missing \(expected) in\n\(text)")
    }
    let json = try sandbox.vouch(["lineage", "results/report.txt", "--json"])
    #expect(json.stdout.contains("\"stage\": \"make-dataset\""))
    let downstream = try sandbox.vouch(["lineage", "data/points.csv", "--downstream"])
    #expect(downstream.stdout.contains("run metric:metric"))
    #expect(downstream.stdout.contains("run metric:report"))
  }

  @Test func dotOutputRendersWithGraphviz() throws {
    let sandbox = try threeStages()
    let result = try sandbox.vouch(["lineage", "results/report.txt", "--format", "dot"])
    #expect(result.status == 0)
    try sandbox.write("lineage.dot", result.stdout)
    let render = try sandbox.shell("dot -Tsvg lineage.dot -o lineage.svg")
    #expect(
      render.status == 0,
      "dot failed (is graphviz installed? scripts/setup.sh installs it): \(render.stderr)")
    #expect(render.stderr.isEmpty)
    #expect(sandbox.text("lineage.svg")?.contains("metric:make&#45;dataset") == true)
  }

  @Test func unknownArtifactIsAUsageError() throws {
    let sandbox = try threeStages()
    let result = try sandbox.vouch(["lineage", "nothing/here.csv"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("no run or artifact records 'nothing/here.csv'"))
  }

  @Test func verifyCatchesEditedClaimsAndCorruptObjects() throws {
    let sandbox = try threeStages()
    #expect(try sandbox.vouch(["verify"]).status == 0)
    let lock = try #require(sandbox.text("manifests/metric.lock.json"))
    let value = try #require(
      lock.range(of: #""value": "1\.99[0-9]+""#, options: .regularExpression))
    try sandbox.write(
      "manifests/metric.lock.json", lock.replacingCharacters(in: value, with: "\"value\": \"2.5\""))
    let edited = try sandbox.vouch(["verify"])
    #expect(edited.status == 12)
    #expect(
      edited.stdout.contains("claim 'slope' value 2.5 does not match its value digest"),
      "\(edited.stdout)")
    try sandbox.write("manifests/metric.lock.json", lock)
    // By default verify re-reads claim sources and listings only; --deep re-hashes everything.
    let object = try #require(try sandbox.objectFiles().first)
    try sandbox.flipByte(in: ".vouch/objects/\(object)", at: 0)
    let corrupt = try sandbox.vouch(["verify", "--deep"])
    #expect(corrupt.status == 12, "\(corrupt.stdout)")
    #expect(corrupt.stdout.contains("moved to .vouch/quarantine/"), "\(corrupt.stdout)")
  }

  @Test func logAndDiffFollowAClaim() throws {
    let sandbox = try Sandbox.pipeline()
    try #require(try sandbox.vouch(["run"]).status == 0)
    try sandbox.edit("manifests/metric.pipeline.toml", replacing: "rows = 2000", with: "rows = 800")
    try #require(try sandbox.vouch(["run"]).status == 0)
    let log = try sandbox.vouch(["log", "rows"])
    #expect(log.status == 0)
    let lines = log.stdout.split(separator: "\n")
    #expect(lines.count == 2, "\(log.stdout)")
    #expect(lines.first?.contains("800.0 rows") == true)
    #expect(lines.last?.contains("2000.0 rows") == true)
    let artifact = try sandbox.vouch(["log", "data/points.csv"])
    #expect(artifact.stdout.split(separator: "\n").count == 2)
    let diff = try sandbox.vouch(["diff", "HEAD~1", "HEAD"])
    #expect(
      diff.stdout.contains("claim     metric:rows  2000.0 rows → 800.0 rows"), "\(diff.stdout)")
    #expect(diff.stdout.contains("run       metric:make-dataset"))
    #expect(diff.stdout.contains("artifact  data/points.csv"))
    let clean = try sandbox.vouch(["diff"])
    #expect(clean.stdout.contains("no changes"))
  }
}
