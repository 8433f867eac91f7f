import Foundation
import Testing
import VouchEngine
import VouchLineage
import VouchTestSupport

@testable import VouchPipeline

/// The built-in `figure` stage on tiny hand-written result files: each chart kind draws, the
/// reference syntax reads what it says, and every bad input is a one-line error that leaves no
/// output behind.
@Suite struct FigureStageTests {
  /// A folder holding `results/kl.json`, `results/eval.json` and `results/features.jsonl`.
  static func inputs() throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory(prefix: "figure")
    try directory.write(
      "results/kl.json",
      #"{"first_k_kl": [0, 0.1, 0.35], "last_k_kl": [0, 0.2, 0.35], "full": 0.35, "name": "x", "#
        + #""missing": null, "short": [1, 2]}"#)
    try directory.write(
      "results/eval.json",
      #"{"base": {"greedy": {"accuracy": 0.01}}, "reasoning": {"greedy": {"accuracy": 0.5}}}"#)
    try directory.write(
      "results/features.jsonl",
      """
      {"layer": 0, "category": "reasoning", "density": {"question": 0.1, "answer": 0.3}}
      {"layer": 0, "category": "domain", "density": {"question": 0.2, "answer": 0.1}}
      {"layer": 1, "category": "domain", "density": {"question": 0.4, "answer": 0.0}}

      """)
    return directory
  }

  /// A pipeline with one figure stage whose parameters are `parameters` (TOML lines).
  static func stage(_ parameters: String, inputs: String = #"["results"]"#) throws
    -> StageDefinition
  {
    let text = """
      schemaVersion = 1
      [stages.figure]
      kind = "figure"
      inputs = \(inputs)
      outputs = ["figures/kl"]
      [stages.figure.parameters]
      \(parameters)
      """
    let pipeline = try PipelineDefinition.parse(
      text, name: "figures", file: "figures.pipeline.toml", vocabulary: PipelineCatalog.vocabulary)
    return try #require(pipeline.stage(named: "figure"))
  }

  static let axes = """
    title = "Bridging keeps partial KL below the full replacement's"
    x-label = "k"
    x-unit = "layers"
    y-label = "KL"
    y-unit = "nats"
    """

  static let line =
    axes + """

      chart = "line"
      series = [
        { name = "first k", values = "results/kl.json#$.first_k_kl" },
        { name = "last k", values = "results/kl.json#last_k_kl", dashed = true, color = "vermillion" },
      ]
      """

  /// Runs `stage` in `directory`; returns the output folder's files.
  static func run(_ stage: StageDefinition, in directory: TemporaryDirectory) throws
    -> [String: String]
  {
    try FigureStage.run(
      stage, in: directory.url, context: ComputeContext(profile: .exact, threads: 1))
    let folder = directory.path("figures/kl")
    var files: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
      files[name] = String(
        decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
    }
    return files
  }

  @Test func aLineFigureWritesItsSVGAndTheNumbersPlotted() throws {
    let directory = try Self.inputs()
    let files = try Self.run(try Self.stage(Self.line), in: directory)
    #expect(Set(files.keys) == ["figure.svg", "data.csv"])
    #expect(files["data.csv"] == "k (layers),first k,last k\n0,0,0\n1,0.1,0.2\n2,0.35,0.35\n")
    let svg = try #require(files["figure.svg"])
    try SVGWriterTests.checkStructure(svg, kind: "line")
    #expect(svg.contains("stroke=\"#D55E00\""), "the named Okabe–Ito colour")
    #expect(svg.contains(">KL (nats)</text>") && svg.contains(">k (layers)</text>"))
    #expect(FigureStage.outputKind == .figure)
  }

  @Test func oneChangedInputNumberChangesTheBytes() throws {
    let directory = try Self.inputs()
    let stage = try Self.stage(Self.line)
    let first = try Self.run(stage, in: directory)
    #expect(try Self.run(stage, in: directory) == first, "deterministic")
    try directory.write(
      "results/kl.json", #"{"first_k_kl": [0, 0.11, 0.35], "last_k_kl": [0, 0.2, 0.35]}"#)
    let changed = try Self.run(stage, in: directory)
    #expect(changed["figure.svg"] != first["figure.svg"])
    #expect(changed["data.csv"] != first["data.csv"])
  }

  @Test func barHeatMapAndScatterReadTemplatesFiltersAndReductions() throws {
    let directory = try Self.inputs()
    let bar = try Self.run(
      try Self.stage(
        Self.axes + """

          chart = "bar"
          categories = ["B", "R"]
          category-keys = ["base", "reasoning"]
          series = [{ name = "greedy", values = "results/eval.json#$.{category}.greedy.accuracy" }, { name = "fixed", values = [0.2, "results/kl.json#$.full"] }]
          """), in: directory)
    #expect(bar["data.csv"] == "k (layers),greedy,fixed\nB,0.01,0.2\nR,0.5,0.35\n")
    let heat = try Self.run(
      try Self.stage(
        Self.axes + """

          chart = "heatmap"
          value-label = "density"
          value-unit = ""
          rows = ["layer 0", "layer 1"]
          row-keys = ["0", "1"]
          columns = ["question", "answer"]
          cells = "mean(results/features.jsonl#$[?layer={row}].density.{column})"
          """), in: directory)
    #expect(
      heat["data.csv"]
        == "KL (nats) \\ k (layers),question,answer\nlayer 0,0.15000000000000002,0.2\nlayer 1,0.4,0\n"
    )
    try SVGWriterTests.checkStructure(try #require(heat["figure.svg"]), kind: "heat map")
    let scatter = try Self.run(
      try Self.stage(
        Self.axes + """

          chart = "scatter"
          x-log = true
          series = [{ name = "domain", x = "results/features.jsonl#$[?category='domain'].density.question", y = "results/features.jsonl#$[?category=\\"domain\\"].density.answer", labels = ["l0", "l1"] }, { name = "one", x = ["count(results/features.jsonl#$[?category='domain'&layer=1])"], y = [2] }]
          """), in: directory)
    #expect(
      scatter["data.csv"]
        == "series,k (layers),KL (nats),label\ndomain,0.2,0.1,l0\ndomain,0.4,0,l1\none,1,2,\n")
    let counted = try Self.run(
      try Self.stage(
        Self.axes + """

          chart = "scatter"
          series = [{ name = "n", x = ["count(results/features.jsonl#$[*])"], y = ["sum(results/kl.json#$.short)"], labels = ["three"] }]
          """), in: directory)
    #expect(counted["data.csv"] == "series,k (layers),KL (nats),label\nn,3,3,three\n")
  }

  /// Every bad input, the parameter its error names and a phrase of the message.
  static let badInputs: [(String, String, String)] = [
    (
      line.replacingOccurrences(of: "results/kl.json#$.first", with: "results/nope.json#$.first"),
      "series[0].values", "does not exist"
    ),
    (
      line.replacingOccurrences(of: "results/kl.json#$.first", with: "other/kl.json#$.first"),
      "series[0].values", "not within the stage's inputs"
    ),
    (
      line.replacingOccurrences(of: "$.first_k_kl", with: "$.first_kl"), "series[0].values",
      "no key 'first_kl' at $"
    ),
    (
      line.replacingOccurrences(of: "$.first_k_kl", with: "$.name"), "series[0].values",
      "is one value, not a list"
    ),
    (
      line.replacingOccurrences(of: "$.first_k_kl", with: "$.short"), "series",
      "has 3 values but 'first k' has 2"
    ),
    (
      line.replacingOccurrences(of: "$.first_k_kl", with: "$.first_k_kl[7]"), "series[0].values",
      "index 7 is past the end"
    ),
    (
      line.replacingOccurrences(of: "$.first_k_kl", with: "$.first_k_kl[?x]"), "series[0].values",
      "malformed path"
    ),
    (
      line.replacingOccurrences(of: "results/kl.json#$.first_k_kl", with: "results/kl.json"),
      "series[0].values", "not a reference"
    ),
    (
      line.replacingOccurrences(
        of: "\"results/kl.json#$.first_k_kl\"", with: "[1, \"results/kl.json#$.missing\"]"),
      "series[0].values", "is null, not a number"
    ),
    (
      line.replacingOccurrences(
        of: "\"results/kl.json#$.first_k_kl\"", with: "[1, \"results/kl.json#$.name\", 3]"),
      "series[0].values", "is a string (\"x\"), not a number"
    ),
    (
      line.replacingOccurrences(
        of: "\"results/kl.json#$.first_k_kl\"", with: "[1, \"results/kl.json#$.short\", 3]"),
      "series[0].values", "is a list of 2 values, not one number"
    ),
    (line + "\nx-log = true", "x-log", "a log axis needs positive values"),
    (line.replacingOccurrences(of: "y-unit = \"nats\"", with: ""), "y-unit", "is missing"),
    (
      line.replacingOccurrences(of: "chart = \"line\"", with: "chart = \"pie\""), "chart",
      "use one of line, bar, heatmap, scatter, graph"
    ),
    (line + "\ncategories = [\"a\"]", "categories", "is not a parameter of this kind"),
    (
      line.replacingOccurrences(of: "color = \"vermillion\"", with: "color = \"red\""),
      "series[1].color", "must be one of"
    ),
  ]

  @Test func badInputIsAOneLineErrorAndWritesNothing() throws {
    for (parameters, key, phrase) in Self.badInputs {
      let directory = try Self.inputs()
      var message = "no error"
      do {
        _ = try Self.run(try Self.stage(parameters), in: directory)
      } catch let error as PipelineError {
        message = error.message
      }
      #expect(
        message.hasPrefix("stage 'figure' (kind 'figure'): parameter '\(key)' "), "\(message)")
      #expect(message.contains(phrase), "\(message)")
      #expect(!message.contains("\n"), "\(message)")
      #expect(!FileManager.default.fileExists(atPath: directory.path("figures").path), "\(message)")
    }
  }

  @Test func aGraphIsLaidOutByGraphvizOrNamesIt() throws {
    let directory = try Self.inputs()
    try directory.write(
      "results/graph.dot", "digraph g {\n  rankdir=BT;\n  a [label=\"wait <&>\"];\n  b -> a;\n}\n")
    let stage = try Self.stage(
      """
      chart = "graph"
      title = "b drives wait"
      graph = "results/graph.dot"
      rankdir = "LR"
      """)
    guard GraphvizFigure.executable() != nil else {
      #expect(throws: PipelineError.self) { try Self.run(stage, in: directory) }
      return
    }
    let first = try Self.run(stage, in: directory)
    #expect(Set(first.keys) == ["figure.svg", "data.dot"])
    let svg = try #require(first["figure.svg"])
    try SVGWriterTests.checkStructure(svg, kind: "graph")
    #expect(!svg.contains("<!--") && !svg.contains("DOCTYPE"), "no version comment, no DTD")
    #expect(svg.contains("wait &lt;&amp;&gt;</text>"))
    #expect(try Self.run(stage, in: directory) == first, "deterministic")
    #expect(
      GraphvizFigure.withRankdir("digraph g { a; }", "LR") == "digraph g {\n  rankdir=LR; a; }")
    let missing = GraphvizFigure.executable(environment: ["PATH": directory.path("none").path])
    #expect(missing == nil)
  }

  @Test func aMissingGraphvizIsNamed() throws {
    let stage = try Self.stage(
      """
      chart = "graph"
      title = "t"
      graph = "results/graph.dot"
      """)
    let message = FigureStage.missingGraphviz(StageParameters(stage: stage)).message
    #expect(
      message
        == "stage 'figure' (kind 'figure'): parameter 'chart' is 'graph', which needs graphviz's "
        + "`dot`, not found on PATH; install graphviz (apt-get install graphviz)")
    #expect(GraphvizFigure.executable(environment: ["PATH": "/nonexistent"]) == nil)
  }
}
