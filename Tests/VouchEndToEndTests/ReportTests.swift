import Foundation
import Testing
import VouchTestSupport

/// `vouch report` and the verdict records of `reproduce` and `verify`.
@Suite struct ReportTests {
  @Test func reportShowsFiguresClaimsAndVerdicts() throws {
    let sandbox = try Sandbox.reportPipeline()
    let before = try sandbox.vouch(["report"])
    #expect(before.status == 0, "\(before.stderr)")
    let neverChecked = try #require(sandbox.text("report/index.html"))
    #expect(neverChecked.contains("Never checked here"))
    #expect(sandbox.text("report/stages/metric/metric.html")?.contains("not checked") == true)
    #expect(sandbox.text(".gitignore")?.contains("/report/") == true)

    let reproduce = try sandbox.vouch(["reproduce"])
    #expect(reproduce.status == 0, "\(reproduce.stdout)\(reproduce.stderr)")
    let record = try #require(sandbox.text(".vouch/verdicts/metric.json"))
    #expect(record.contains("\"command\": \"reproduce\""))
    #expect(record.contains("\"verdict\": \"identical\""))
    #expect(!record.contains("seconds"), "only time-independent facts")

    // A figure edited in the working tree changes nothing: the report copies stored bytes.
    try sandbox.write("results/figure/figure.svg", "<svg>edited</svg>")
    let result = try sandbox.vouch(["report", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\"figures\": 1"), "\(result.stdout)")
    #expect(result.stdout.contains("\"identical\": 3"), "\(result.stdout)")
    let index = try #require(sandbox.text("report/index.html"))
    #expect(index.contains("Last check: <code>vouch reproduce</code>"))
    #expect(index.contains(try sandbox.git(["rev-parse", "HEAD"])))
    let stage = try #require(sandbox.text("report/stages/metric/figure.html"))
    let listing = try #require(
      stage.range(of: "objects/[0-9a-f]{64}\\.svg", options: .regularExpression))
    let copied = try sandbox.read("report/" + stage[listing])
    #expect(String(decoding: copied, as: UTF8.self).contains("The fitted slope is"))
    #expect(stage.contains("data (CSV)"))
    #expect(stage.contains("manifests/results/figure.json"))
    let metric = try #require(sandbox.text("report/stages/metric/metric.html"))
    #expect(metric.contains("data-claim=\"slope\" data-verdict=\"identical\""))
    #expect(metric.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lineage\""))
    #expect(!metric.contains("<script"))

    // Deterministic: the same records give the same bytes; no temporary folder is left.
    let again = try sandbox.vouch(["report"])
    #expect(again.status == 0)
    #expect(sandbox.text("report/stages/metric/metric.html") == metric)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path)
      .filter { $0.hasPrefix(".report.") }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }

  @Test func verifyRecordsItsVerdictsAndAMismatchShows() throws {
    let sandbox = try Sandbox.reportPipeline()
    #expect(try sandbox.vouch(["verify"]).status == 0)
    #expect(
      sandbox.text(".vouch/verdicts/metric.json")?.contains("\"command\": \"verify\"") == true)
    try sandbox.edit("metric.sh", replacing: "sxy / sxx", with: "sxy / sxx * 1.01")
    #expect(try sandbox.vouch(["reproduce"]).status == 13)
    let result = try sandbox.vouch(["report", "--out", "site"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("1 mismatch"), "\(result.stdout)")
    let metric = try #require(sandbox.text("site/stages/metric/metric.html"))
    #expect(metric.contains("data-claim=\"slope\" data-verdict=\"mismatch\""))
    #expect(metric.contains("✗ mismatch"))
    #expect(metric.contains("difference +0.019989"), "\(metric)")
    #expect(metric.contains("tolerance abs 0.001"))
    #expect(metric.contains("1 claim(s) mismatched, 1 output(s) differ from the recorded ones."))
    #expect(sandbox.text("site/index.html")?.contains("1 claim(s) mismatched") == true)
    #expect(sandbox.text(".gitignore")?.contains("/report/") != true, "only report/ is ignored")
  }

  @Test func badInputIsOneLineAndWritesNothing() throws {
    let fresh = try Sandbox.reportPipeline(run: false)
    let never = try fresh.vouch(["report"])
    #expect(never.status == 64)
    #expect(never.stderr.contains("pipeline 'metric' has never run"), "\(never.stderr)")
    #expect(fresh.text("report/index.html") == nil)

    let sandbox = try Sandbox.reportPipeline()
    try sandbox.write("taken", "a file")
    let cases: [([String], Int32, String)] = [
      (["report", "--out", "taken"], 64, "is a file, not a folder"),
      (["report", "nope"], 64, "no pipeline 'nope'"),
      (["report", "--out", "data"], 64, "holds something other than a vouch report"),
    ]
    for (arguments, status, message) in cases {
      let result = try sandbox.vouch(arguments)
      #expect(result.status == status, "\(arguments): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }
    #expect(sandbox.text("taken") == "a file")

    // The figure's object gone from the store: say to fetch it, write nothing.
    let folder = try sandbox.lockedHex("results/figure")
    let listing = try sandbox.read(".vouch/objects/sha256/\(folder.prefix(2))/\(folder)")
    let svg = try #require(
      String(decoding: listing, as: UTF8.self).range(
        of: "sha256:[0-9a-f]{64}\",\"executable\":false,\"path\":\"figure.svg",
        options: .regularExpression))
    let hex = String(String(decoding: listing, as: UTF8.self)[svg].dropFirst(7).prefix(64))
    try sandbox.shell(
      "chmod -R u+w .vouch/objects && rm .vouch/objects/sha256/\(hex.prefix(2))/\(hex)")
    let missing = try sandbox.vouch(["report", "--out", "site"])
    #expect(missing.status == 12, "\(missing.stderr)")
    #expect(missing.stderr.contains("vouch fetch"), "\(missing.stderr)")
    #expect(missing.stderr.contains("results/figure/figure.svg"), "\(missing.stderr)")
    #expect(sandbox.text("site/index.html") == nil)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path)
      .filter { $0.hasPrefix(".site.") }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }

  @Test func aStageThatRanAgainIsNotChecked() throws {
    let sandbox = try Sandbox.reportPipeline()
    #expect(try sandbox.vouch(["reproduce"]).status == 0)
    // Reproducing one stage keeps the other stages' verdicts.
    #expect(try sandbox.vouch(["reproduce", "--stage", "metric"]).status == 0)
    let record = try #require(sandbox.text(".vouch/verdicts/metric.json"))
    #expect(record.contains("\"make-dataset\""), "\(record)")
    #expect(record.contains("\"figure\""), "\(record)")
    // New parameters: every stage runs again, so none of the old verdicts applies.
    try sandbox.edit("manifests/metric.pipeline.toml", replacing: "rows = 2000", with: "rows = 500")
    #expect(try sandbox.vouch(["run"]).status == 0)
    let result = try sandbox.vouch(["report", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\"notChecked\": 2"), "\(result.stdout)")
    let metric = try #require(sandbox.text("report/stages/metric/metric.html"))
    #expect(metric.contains("not checked since the stage ran again"))
    #expect(metric.contains("data-claim=\"rows\" data-verdict=\"not checked\""))
  }
}
