import Foundation
import Testing
import VouchTestSupport

/// Each bad pipeline gets a one-line message naming the file and the line or key, a usage exit
/// status, and leaves the lock, the store and git as they were.
@Suite struct PipelineBadInputTests {
  static let file = "manifests/p.pipeline.toml"

  /// Writes `pipeline` as manifests/p.pipeline.toml, runs `vouch run`, checks nothing changed,
  /// and returns the status and the one-line message.
  func runBad(_ pipeline: String, files: [String: String] = [:]) throws -> (Int32, String) {
    let sandbox = try Sandbox.pipeline(example: false)
    for (path, text) in files { try sandbox.write(path, text) }
    try sandbox.write(Self.file, pipeline)
    let objects = try sandbox.objectFiles()
    let result = try sandbox.vouch(["run"])
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(sandbox.text("manifests/p.lock.json") == nil)
    #expect(try sandbox.objectFiles() == objects, "the store must be unchanged")
    #expect(try sandbox.shell("git rev-parse -q --verify HEAD").status != 0, "no commit")
    return (result.status, lines.first.map(String.init) ?? "")
  }

  @Test(arguments: [
    (
      "schemaVersion = 1\n[stages.a]\ncommand = \"true\"\noutputs = [\"o\"]\nretries = 3\n",
      "\(file):5: key 'stages.a.retries': unknown key"
    ),
    (
      "schemaVersion = 1\n[stages.a]\ncommand = [\"true\"]\noutputs = [\"o\"]\n",
      "\(file):3: key 'stages.a.command': expected a string, found an array"
    ),
    (
      "schemaVersion = 1\n[stages.a]\ncommand = \" \"\noutputs = [\"o\"]\n",
      "\(file):3: key 'stages.a.command': the command is empty; write the shell command this stage runs"
    ),
    (
      "schemaVersion = 2\n[stages.a]\ncommand = \"true\"\noutputs = [\"o\"]\n",
      "\(file):1: key 'schemaVersion': unknown pipeline schema version 2"
    ),
    (
      "schemaVersion = 1\n[stages.a]\ncommand = \"true\"\ninputs = [\"../up.csv\"]\noutputs = [\"o\"]\n",
      "\(file):4: key 'stages.a.inputs[0]': path '../up.csv' uses '..'"
    ),
    (
      "schemaVersion = 1\n[stages.a]\ncommand = \"true\"\noutputs = [\"/tmp/elsewhere.json\"]\n",
      "\(file):4: key 'stages.a.outputs[0]': path '/tmp/elsewhere.json' is absolute and outside"
    ),
  ])
  func badPipelineFiles(pipeline: String, expected: String) throws {
    let (status, message) = try runBad(pipeline)
    #expect(status == 64)
    #expect(message.contains(expected), "\(message)")
  }

  @Test func cycleIsNamed() throws {
    let pipeline = """
      schemaVersion = 1
      [stages.a]
      command = "cp b.txt a.txt"
      inputs = ["b.txt"]
      outputs = ["a.txt"]
      [stages.b]
      command = "cp a.txt b.txt"
      inputs = ["a.txt"]
      outputs = ["b.txt"]
      """
    let (status, message) = try runBad(pipeline)
    #expect(status == 64)
    #expect(message.contains("pipeline 'p' has a cycle: a → b → a"), "\(message)")
  }

  @Test func claimWithAMissingJSONPath() throws {
    let pipeline = """
      schemaVersion = 1
      [stages.score]
      command = "sh score.sh"
      inputs = ["score.sh"]
      outputs = ["score.json"]
      [[stages.score.claims]]
      name = "accuracy"
      path = "$.metrics.accuracy"
      """
    let (status, message) = try runBad(
      pipeline, files: ["score.sh": "echo '{\"metrics\": {\"loss\": 0.5}}' > score.json\n"])
    #expect(status == 64)
    #expect(
      message.contains(
        "stage 'score', claim 'accuracy': score.json: no key 'accuracy' at $.metrics"),
      "\(message)")
  }

  @Test func lockDigestOfTheWrongLength() throws {
    let sandbox = try Sandbox.pipeline()
    try #require(try sandbox.vouch(["run"]).status == 0)
    let lock = try #require(sandbox.text("manifests/metric.lock.json"))
    let digest = try #require(lock.range(of: #"sha256:[0-9a-f]{64}"#, options: .regularExpression))
    let broken = lock.replacingCharacters(in: digest, with: String(lock[digest].prefix(40)))
    try sandbox.write("manifests/metric.lock.json", broken)
    let objects = try sandbox.objectFiles()
    let result = try sandbox.vouch(["run"])
    // A lock is machine-written: one that does not decode is an integrity failure.
    #expect(result.status == 12)
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(result.stderr.contains("manifests/metric.lock.json: key '"), "\(result.stderr)")
    #expect(result.stderr.contains("expected 64 hex characters, got 33"), "\(result.stderr)")
    #expect(sandbox.text("manifests/metric.lock.json") == broken)
    #expect(try sandbox.objectFiles() == objects)
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 12)
    #expect(verify.stdout.contains("expected 64 hex characters"))
  }
}
