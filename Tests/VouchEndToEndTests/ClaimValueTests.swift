import Foundation
import Testing
import VouchTestSupport

/// Claim values binary64 cannot hold are refused, never rounded (findings rows 2.12 and 2.13).
@Suite struct ClaimValueTests {
  /// A pipeline whose one stage writes `json` to out.json and claims `$.v` from it, exactly.
  static func pipeline(writing json: String) throws -> Sandbox {
    let sandbox = try Sandbox.pipeline(example: false)
    try sandbox.write("emit.sh", "cat > out.json <<'EOF'\n\(json)\nEOF\n")
    try sandbox.write(
      "manifests/p.pipeline.toml",
      """
      schemaVersion = 1
      [stages.emit]
      command = "sh emit.sh"
      inputs = ["emit.sh"]
      outputs = ["out.json"]
      [[stages.emit.claims]]
      name = "v"
      path = "$.v"

      """)
    return sandbox
  }

  @Test(arguments: [
    (
      #"{"v": 9007199254740993}"#,
      "the value at $.v, 9007199254740993, is not exactly representable as a 64-bit float (it would read as 9007199254740992); claims are binary64 numbers, write it scaled or as a float"
    ),
    (#"{"v": "2.0"}"#, #"the value at $.v is a string ("2.0"), not a number"#),
    (
      #"{"v": 1e400}"#,
      "the value at $.v, 1e400, overflows a 64-bit float (the largest is about 1.8e308)"
    ),
    (#"{"v": 1e-400}"#, "the value at $.v, 1e-400, is too small for a 64-bit float"),
    (
      #"{"v": 1, "w": -2e999}"#,
      "holds the number -2e999, which overflows a 64-bit float, so it cannot be read as JSON"
    ),
  ])
  func refusedWithAOneLineMessage(json: String, message: String) throws {
    let sandbox = try Self.pipeline(writing: json)
    let result = try sandbox.vouch(["run"])
    #expect(result.status == 64)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(
      result.stderr.hasPrefix("vouch: error: stage 'emit', claim 'v': out.json: "),
      "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(sandbox.text("manifests/p.lock.json") == nil)
  }

  @Test(arguments: [
    (#"{"v": 9007199254740992}"#, "9007199254740992.0"),
    (#"{"v": 9.007199254740993e15}"#, "9007199254740992.0"),
    (#"{"v": 12345678901234567000}"#, "1.2345678901234567e+19"),
    (#"{"v": -0.0}"#, "0.0"),
    (#"{"v": 0.1}"#, "0.1"),
  ])
  func numbersBinary64HoldsAreRecorded(json: String, recorded: String) throws {
    let sandbox = try Self.pipeline(writing: json)
    let result = try sandbox.vouch(["run"])
    #expect(result.status == 0, "\(result.stderr)")
    let lock = try #require(sandbox.text("manifests/p.lock.json"))
    #expect(lock.contains(#""value": "\#(recorded)""#), "\(lock)")
  }
}
