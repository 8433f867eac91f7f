import Foundation
import Testing
import VouchTestSupport

/// The findings file's rows on claims, locks and run records (`../shared/findings/`): every
/// recorded number is re-read from the stored bytes it names, and every lock is checked against
/// its pipeline file.
@Suite struct ClaimFindingsTests {
  /// 2.3: a lock claim edited together with its value digest (and its tolerance widened).
  @Test func row2_3AForgedLockClaimIsCaughtByVerifyAndReproduce() throws {
    let sandbox = try Sandbox.ranMetric()
    try sandbox.editJSON("manifests/metric.lock.json") { lock in
      var stages = try #require(lock["stages"] as? [String: Any])
      var metric = try #require(stages["metric"] as? [String: Any])
      try forge(claims: &metric, named: "slope", value: "1.9995")
      stages["metric"] = metric
      lock["stages"] = stages
    }
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 12, "\(verify.stdout)")
    #expect(verify.stdout.contains("claim 'slope' records 1.9995 but its stored output"))
    // Within the pipeline file's tolerance, but the output reproduced bit for bit.
    let reproduce = try sandbox.vouch(["reproduce"])
    #expect(reproduce.status == 13, "\(reproduce.stdout)")
    #expect(reproduce.stdout.contains("mismatch    metric / claim slope"), "\(reproduce.stdout)")
  }

  /// 2.4b: a run record's claim edited together with its value digest.
  @Test func row2_4bAForgedRunRecordIsCaught() throws {
    let sandbox = try Sandbox.ranMetric()
    let record = try sandbox.metricRunRecordPath("metric")
    try sandbox.editJSON(record) { try forge(claims: &$0, named: "slope", value: "3.0") }
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 12, "\(verify.stdout)")
    #expect(verify.stdout.contains("records 3.0 but its stored output"), "\(verify.stdout)")
    #expect(verify.stdout.contains("does not match the digest the lock lists"), "\(verify.stdout)")
  }

  /// 2.5: a forged cached run record no longer flows into the lock: claims are re-read from the
  /// restored outputs.
  @Test func row2_5AForgedRunCacheEntryDoesNotReachTheLock() throws {
    let sandbox = try Sandbox.ranMetric()
    let record = try sandbox.metricRunRecordPath("metric")
    try sandbox.editJSON(record) { try forge(claims: &$0, named: "slope", value: "3.0") }
    try sandbox.git(["add", record])
    try sandbox.git(["commit", "-qm", "forge"])
    let toml = "manifests/metric.pipeline.toml"
    try sandbox.edit(toml, replacing: "rows = 2000", with: "rows = 500")
    #expect(try sandbox.vouch(["run"]).status == 0)
    try sandbox.edit(toml, replacing: "rows = 500", with: "rows = 2000")
    let run = try sandbox.vouch(["run"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("cached     metric:metric"), "\(run.stdout)")
    #expect(!run.stdout.contains("slope=3.0"), "\(run.stdout)")
    let lock = try #require(sandbox.text("manifests/metric.lock.json"))
    #expect(!lock.contains("\"3.0\""))
    #expect(try sandbox.vouch(["verify"]).status == 0)
  }

  /// 2.8b: the pipeline file's command replaced by a printf of the recorded output.
  @Test func row2_8bADifferentCommandIsNamedNotHidden() throws {
    let sandbox = try Sandbox.ranMetric()
    let output = try #require(sandbox.text("results/metric.json"))
      .trimmingCharacters(in: .newlines)
    let printf = "mkdir -p results && printf '%s\\\\n' '\(output)' > results/metric.json"
    try sandbox.edit(
      "manifests/metric.pipeline.toml", replacing: "command = \"sh metric.sh\"",
      with: "command = \"\(printf.replacingOccurrences(of: "\"", with: "\\\""))\"")
    let reproduce = try sandbox.vouch(["reproduce"])
    #expect(reproduce.status == 14, "\(reproduce.stdout)\(reproduce.stderr)")
    #expect(
      reproduce.stdout.contains("note: stage metric ran as the pipeline file defines it"),
      "\(reproduce.stdout)")
    #expect(reproduce.stdout.contains("command"))
    #expect(try sandbox.vouch(["reproduce", "--as-recorded"]).status == 0)
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 14)
    #expect(verify.stdout.contains("stages.metric: command changed since the run"))
    #expect(try sandbox.vouch(["status"]).stdout.contains("stale:    metric:metric (command"))
  }

  /// 2.11: a lock output whose artifact manifest was deleted.
  @Test func row2_11ALockOutputNeedsItsArtifactManifest() throws {
    let sandbox = try Sandbox.ranMetric()
    try sandbox.shell("rm manifests/artifacts/results/metric.json.json")
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 12)
    #expect(verify.stdout.contains("output results/metric.json has no artifact manifest"))
  }

  /// 3.9: two pipelines that write one output are refused when loaded.
  @Test func row3_9TwoPipelinesCannotShareAnOutput() throws {
    let sandbox = try Sandbox.pipeline()
    try sandbox.write(
      "manifests/second.pipeline.toml",
      """
      schemaVersion = 1
      [stages.points]
      command = "mkdir -p data; echo x,y > data/points.csv"
      outputs = ["data/points.csv"]
      """)
    let run = try sandbox.vouch(["run"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("overlaps output 'data/points.csv'"), "\(run.stderr)")
    #expect(sandbox.text("manifests/metric.lock.json") == nil)
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 64, "\(verify.stdout)")
  }

  /// 3.12: a claim's JSON path changed to one that does not exist makes the stage out of date.
  @Test func row3_12AChangedClaimPathMakesTheStageOutOfDate() throws {
    let sandbox = try Sandbox.ranMetric()
    try sandbox.edit(
      "manifests/metric.pipeline.toml", replacing: "path = \"$.slope\"", with: "path = \"$.nope\"")
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 14)
    #expect(verify.stdout.contains("claim 'slope' path changed"), "\(verify.stdout)")
    let run = try sandbox.vouch(["run"])
    #expect(run.status == 64, "\(run.stdout)")
    #expect(run.stderr.contains("no key 'nope'"), "\(run.stderr)")
  }

  /// 3.16: a loosened tolerance makes the stage out of date; `vouch run` records it without
  /// recomputing, and reproduce judges by the pipeline file's tolerance.
  @Test func row3_16ALoosenedToleranceIsRecorded() throws {
    let sandbox = try Sandbox.ranMetric()
    try sandbox.edit(
      "manifests/metric.pipeline.toml", replacing: "tolerance = { abs = 0.001 }",
      with: "tolerance = { abs = 0.5 }")
    #expect(try sandbox.vouch(["verify"]).status == 14)
    let run = try sandbox.vouch(["run"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("cached     metric:metric"), "\(run.stdout)")
    #expect(run.stdout.contains("tolerance changed"), "\(run.stdout)")
    #expect(sandbox.text("manifests/metric.lock.json")?.contains("\"0.5\"") == true)
    #expect(try sandbox.vouch(["verify"]).status == 0)
  }
}
