import Foundation
import Testing
import VouchTestSupport

@Suite struct ReproduceTests {
  @Test func brokenMetricScriptIsAMismatch() throws {
    let sandbox = try Sandbox.pipeline()
    try #require(try sandbox.vouch(["run"]).status == 0)
    let lock = sandbox.text("manifests/metric.lock.json")
    // Moves the slope by 1%, twenty times its tolerance.
    try sandbox.edit("metric.sh", replacing: "sxy / sxx", with: "sxy / sxx * 1.01")
    let result = try sandbox.vouch(["reproduce"])
    #expect(result.status == 13, "\(result.stdout)\(result.stderr)")
    let slope = try #require(
      result.stdout.split(separator: "\n").first { $0.contains("claim slope") })
    #expect(slope.hasPrefix("mismatch"))
    #expect(slope.contains("tolerance abs 0.001"))
    #expect(slope.contains("difference 0.01"))
    #expect(result.stdout.contains("identical   metric / claim rows"))
    #expect(result.stdout.contains("identical   make-dataset / data/points.csv"))
    #expect(result.stdout.contains("note: stage metric ran with changed code: metric.sh"))
    #expect(sandbox.text("manifests/metric.lock.json") == lock, "reproduce never writes the lock")
    #expect(try sandbox.temporaryFiles().isEmpty)
    let json = try sandbox.vouch(["reproduce", "--json", "--stage", "metric"])
    #expect(json.status == 13)
    #expect(json.stdout.contains("\"verdict\": \"mismatch\""))
  }

  @Test func tinyNoiseWithinToleranceIsEquivalent() throws {
    let sandbox = try Sandbox.pipeline()
    // Adds noise below 1e-7 from /dev/urandom (not awk's srand, which clamps large seeds): every
    // run differs, within a 1e-6 tolerance; two runs collide with probability 1e-6.
    try sandbox.write(
      "metric.sh",
      """
      mkdir -p results
      noise=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
      awk -F, -v noise="$noise" 'NR > 1 { sxx += $1 * $1; sxy += $1 * $2; n++ }
      END { printf "{\\"rows\\": %d, \\"slope\\": %.15f}\\n", n, sxy / sxx + (noise % 1000000) * 1e-13 }' \\
        data/points.csv > results/metric.json

      """)
    try sandbox.edit(
      "manifests/metric.pipeline.toml", replacing: "tolerance = { abs = 0.001 }",
      with: "tolerance = { abs = 1e-6 }")
    try #require(try sandbox.vouch(["run"]).status == 0)
    let result = try sandbox.vouch(["reproduce"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("equivalent  metric / results/metric.json"), "\(result.stdout)")
    #expect(result.stdout.contains("equivalent  metric / claim slope"))
    #expect(result.stdout.contains("tolerance abs 1e-06"))
    #expect(result.stdout.contains("metric: 2 identical, 2 equivalent, 0 mismatch"))
  }

  @Test func reproduceFromAStage() throws {
    let sandbox = try Sandbox.pipeline()
    try #require(try sandbox.vouch(["run"]).status == 0)
    let result = try sandbox.vouch(["reproduce", "--from", "metric"])
    #expect(result.status == 0)
    #expect(!result.stdout.contains("make-dataset"))
    #expect(result.stdout.contains("metric: 3 identical"))
    let none = try sandbox.vouch(["reproduce", "--stage", "nope"])
    #expect(none.status == 64)
  }

  @Test func missingRecordedInputIsNamed() throws {
    let sandbox = try Sandbox.pipeline()
    try #require(try sandbox.vouch(["run"]).status == 0)
    let lock = try #require(sandbox.text("manifests/metric.lock.json"))
    let points = try #require(
      lock.range(of: #""data/points.csv": "sha256:[0-9a-f]{64}""#, options: .regularExpression))
    let hex = String(lock[points].suffix(65).prefix(64))
    try sandbox.shell(
      "chmod -R u+w .vouch/objects && rm .vouch/objects/sha256/\(hex.prefix(2))/\(hex)")
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("data/points.csv"))
    let result = try sandbox.vouch(["reproduce", "--stage", "metric"])
    #expect(result.status == 12, "\(result.stderr)")
    #expect(result.stderr.contains("recorded input(s) data/points.csv (\(hex.prefix(8)))"))
    #expect(result.stderr.contains("neither in the store nor in the workspace"))
  }
}
