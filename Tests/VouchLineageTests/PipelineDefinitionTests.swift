import Foundation
import Testing

@testable import VouchLineage

@Suite struct PipelineDefinitionTests {
  static let file = "manifests/metric.pipeline.toml"

  static let valid = """
    schemaVersion = 1
    description = "two stages"

    [stages.make-data]
    command = "python3 make_data.py"
    inputs = ["make_data.py"]
    parameters = { rows = 100, noise = 0.1, label = "x", flags = [true, false] }
    seed = 7
    outputs = ["data/points.csv"]

    [stages.metric]
    command = "python3 metric.py"
    inputs = ["./metric.py", "data/points.csv"]
    outputs = ["results/metric.json"]

    [[stages.metric.claims]]
    name = "mean"
    path = "$.mean"
    unit = "units"
    tolerance = { abs = 1e-9, rel = 0.001 }

    [[stages.metric.claims]]
    name = "rows"
    source = "results/metric.json"
    metric = "size-bytes"
    direction = "at-least"
    """

  func parse(_ text: String, root: URL? = nil) throws -> PipelineDefinition {
    try PipelineDefinition.parse(text, name: "metric", file: Self.file, root: root)
  }

  /// The message of the `LineageError` `body` throws.
  func failure(_ text: String, root: URL? = nil) -> String {
    do {
      _ = try parse(text, root: root)
      return "no error"
    } catch let error as LineageError {
      return error.message
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func readsAValidPipeline() throws {
    let pipeline = try parse(Self.valid)
    #expect(pipeline.stages.map(\.name) == ["make-data", "metric"])
    let make = try #require(pipeline.stage(named: "make-data"))
    #expect(make.kind == .command)
    #expect(make.seed == 7)
    #expect(make.parameters["rows"] == .integer(100))
    #expect(make.parameters["noise"] == .float(try #require(ExactFloat(0.1))))
    #expect(make.parameters["flags"] == .array([.bool(true), .bool(false)]))
    let metric = try #require(pipeline.stage(named: "metric"))
    #expect(metric.inputs.map(\.rawValue) == ["metric.py", "data/points.csv"])
    #expect(metric.claims.map(\.name) == ["mean", "rows"])
    #expect(metric.claims[0].artifact.rawValue == "results/metric.json")
    #expect(metric.claims[0].tolerance.summary == "abs 1e-09 or rel 0.001")
    #expect(metric.claims[1].source == .metric(.sizeBytes))
    #expect(metric.claims[1].direction == .atLeast)
    #expect(metric.claims[1].tolerance.isExact)
    #expect(pipeline.dependencies(of: metric) == ["make-data"])
    #expect(try pipeline.executionOrder().map(\.name) == ["make-data", "metric"])
  }

  @Test(arguments: [
    (
      "schemaVersion = 1\ncolour = 1\n[stages.a]\ncommand = \"x\"\noutputs = [\"o\"]\n",
      ":2: key 'colour': unknown key"
    ),
    (
      "schemaVersion = 1\n[stages.a]\ncomand = \"x\"\noutputs = [\"o\"]\n",
      ":3: key 'stages.a.comand': unknown key; did you mean 'command'?"
    ),
    (
      "schemaVersion = 1\n[stages.a]\ncommand = 5\noutputs = [\"o\"]\n",
      ":3: key 'stages.a.command': expected a string, found an integer"
    ),
    (
      "schemaVersion = 1\n[stages.a]\ncommand = \"x\"\noutputs = \"o\"\n",
      ":4: key 'stages.a.outputs': expected an array of strings, found a string"
    ),
    (
      "schemaVersion = 1\n[stages.a]\ncommand = \"x\"\noutputs = [\"o\"]\nseed = 1.5\n",
      ":5: key 'stages.a.seed': expected an integer, found a float"
    ),
    (
      "schemaVersion = 1\n[stages.a]\ncommand = \"x\"\noutputs = [\"o\"]\n\n[[stages.a.claims]]\n"
        + "name = \"c\"\npath = \"$.v\"\ntolerance = { abs = 1, fuzz = 2 }\n",
      ":9: key 'stages.a.claims[0].tolerance.fuzz': unknown key"
    ),
    (
      "schemaVersion = 7\n[stages.a]\ncommand = \"x\"\noutputs = [\"o\"]\n",
      ":1: key 'schemaVersion': unknown pipeline schema version 7; this vouch reads version 1"
    ),
    ("[stages.a]\ncommand = \"x\"\noutputs = [\"o\"]\n", "missing key 'schemaVersion'"),
    ("schemaVersion = 1\n[stages.a\n", "metric.pipeline.toml:2:"),
    (
      "schemaVersion = 1\n[stages.a]\nkind = \"train\"\noutputs = [\"o\"]\n",
      ":3: key 'stages.a.kind': unknown stage kind 'train'; known kinds: command"
    ),
    ("schemaVersion = 1\n[stages.a]\noutputs = [\"o\"]\n", "missing key 'command'"),
  ])
  func rejectsBadFilesNamingLineAndKey(text: String, expected: String) {
    let message = failure(text)
    #expect(message.hasPrefix(Self.file), "\(message)")
    #expect(message.contains(expected), "\(message)")
    #expect(!message.contains("\n"))
  }

  @Test(arguments: [
    ("inputs = [\"../secret.csv\"]", "path '../secret.csv' uses '..'"),
    ("inputs = [\"data/../../x\"]", "uses '..'"),
    ("inputs = [\"/etc/passwd\"]", "path '/etc/passwd' is absolute and outside the workspace"),
    ("inputs = [\".vouch/objects\"]", "is inside .vouch/"),
  ])
  func rejectsUnsafePaths(line: String, expected: String) {
    let text = "schemaVersion = 1\n[stages.a]\ncommand = \"x\"\noutputs = [\"o\"]\n\(line)\n"
    let message = failure(text, root: URL(fileURLWithPath: "/work/project"))
    #expect(message.contains(expected), "\(message)")
    #expect(message.contains(":5: key 'stages.a.inputs[0]'"), "\(message)")
  }

  @Test func acceptsAbsolutePathsInsideTheWorkspace() throws {
    let text =
      "schemaVersion = 1\n[stages.a]\ncommand = \"x\"\noutputs = [\"/work/p/out/x.json\"]\n"
    let pipeline = try parse(text, root: URL(fileURLWithPath: "/work/p"))
    #expect(pipeline.stages[0].outputs.map(\.rawValue) == ["out/x.json"])
  }

  @Test func rejectsOverlappingOutputsAndDuplicateClaims() {
    let overlap = """
      schemaVersion = 1
      [stages.a]
      command = "x"
      outputs = ["out"]
      [stages.b]
      command = "y"
      outputs = ["out/file.json"]
      """
    #expect(failure(overlap).contains("output 'out/file.json' overlaps output 'out' of stage 'a'"))
    let duplicate = """
      schemaVersion = 1
      [stages.a]
      command = "x"
      outputs = ["a.json"]
      claims = [{ name = "c", path = "$.v" }]
      [stages.b]
      command = "y"
      outputs = ["b.json"]
      claims = [{ name = "c", path = "$.v" }]
      """
    #expect(failure(duplicate).contains("claim name 'c' is used twice"))
  }

  @Test func claimsMustReadTheStagesOwnOutputs() {
    let text = """
      schemaVersion = 1
      [stages.a]
      command = "x"
      outputs = ["a.json", "b.json"]
      [[stages.a.claims]]
      name = "c"
      source = "elsewhere.json"
      path = "$.v"
      """
    #expect(
      failure(text).contains(
        ":7: key 'stages.a.claims[0].source': 'elsewhere.json' is not an output"))
  }

  @Test func namesTheStagesOfACycle() throws {
    let text = """
      schemaVersion = 1
      [stages.a]
      command = "x"
      inputs = ["c.out"]
      outputs = ["a.out"]
      [stages.b]
      command = "y"
      inputs = ["a.out"]
      outputs = ["b.out"]
      [stages.c]
      command = "z"
      inputs = ["b.out"]
      outputs = ["c.out"]
      """
    let pipeline = try parse(text)
    #expect {
      try pipeline.executionOrder()
    } throws: { error in
      (error as? LineageError)?.message.contains("has a cycle: a → c → b → a") == true
    }
  }

  @Test func selectsStagesAndTheirDependencies() throws {
    let text = """
      schemaVersion = 1
      [stages.raw]
      command = "x"
      outputs = ["raw"]
      [stages.clean]
      command = "y"
      inputs = ["raw/part-1.csv"]
      outputs = ["clean.csv"]
      [stages.report]
      command = "z"
      inputs = ["clean.csv"]
      outputs = ["report.json"]
      [stages.other]
      command = "w"
      outputs = ["other.json"]
      """
    let pipeline = try parse(text)
    // Dependencies first; otherwise by name.
    #expect(try pipeline.executionOrder().map(\.name) == ["raw", "clean", "other", "report"])
    #expect(try pipeline.stagesNeeded(for: ["report"]).map(\.name) == ["raw", "clean", "report"])
    #expect(try pipeline.stagesDownstream(from: "clean").map(\.name) == ["clean", "report"])
    #expect(throws: LineageError.self) { try pipeline.stagesNeeded(for: ["nope"]) }
  }
}
