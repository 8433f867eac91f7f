import Foundation
import VouchEngine
import VouchLineage

/// `figure`: draws a deterministic SVG figure from numbers in the stage's input JSON files (or
/// lays out a graphviz graph), written as a folder (artifact kind `figure`) holding `figure.svg`
/// and its data — `data.csv` with the exact numbers plotted and a header row, or `data.dot` for
/// a graph — so a reader can re-plot it and `vouch reproduce` can compare it bit for bit.
///
/// Parameters, for every chart:
/// - `chart`: `line`, `bar` (grouped bars), `heatmap`, `scatter` or `graph`;
/// - `title`: the figure's title — state the finding, not the axes; optional `description`
///   (opens the SVG's `<desc>`, after which vouch describes the axes and series); optional
///   `width`, `height` in pixels (default 640 × 400);
/// - `x-label`, `x-unit`, `y-label`, `y-unit` (every chart but `graph`; a unit may be `""` for
///   a pure number, but must be given).
///
/// Numbers are references into input files, `FILE#PATH`, optionally reduced:
/// `mean(FILE#PATH)` (also `sum`, `min`, `max`, `count`); see ``FigureReference`` for the path
/// syntax (the claims' JSON path plus `[*]` and `[?key=value]`; a `.jsonl` file reads as an
/// array of its lines). Where a list is needed, give one reference to a list or a TOML list of
/// numbers and references to single numbers.
///
/// - `line`: `series = [{ name, values, color?, dashed? }, …]`, optional `x` (a list; default
///   0, 1, …), `x-log`, `y-log`.
/// - `bar`: `categories` (labels), optional `category-keys` (what replaces `{category}` in a
///   series' `values`, default the labels), `series = [{ name, values, color? }, …]`.
/// - `scatter`: `series = [{ name, x, y, labels?, color? }, …]`, `x-log`, `y-log`.
/// - `heatmap`: `rows`, `columns` (labels), optional `row-keys`, `column-keys`, then either
///   `cells` (a reference template holding `{row}` and/or `{column}`) or `values` (one list per
///   row); `value-label`, `value-unit` title the colour bar.
/// - `graph`: `graph` (a `.dot` file within the inputs), laid out by graphviz `dot`; optional
///   `rankdir` (`LR`, `RL`, `TB`, `BT`) replaces the file's layout direction.
///
/// Example (`organism/adapter-results.json` lists KL by k):
/// ```toml
/// [stages.figure-partial-kl]
/// kind = "figure"
/// inputs = ["organism/adapter-results.json"]
/// parameters = { chart = "line", title = "…", x-label = "k", x-unit = "layers", \
///   y-label = "KL(R ‖ model)", y-unit = "nats", \
///   series = [{ name = "first k", values = "organism/adapter-results.json#$.first_k_kl" }] }
/// outputs = ["figures/partial-kl"]
/// ```
///
/// Every reference is read and checked before anything is written: a file outside the inputs
/// or missing, a path that does not exist, a non-number, series of unequal length or a
/// non-positive value on a log axis is a one-line error naming the parameter. Series colours
/// are Okabe–Ito (at most 8 series), heat maps viridis. Nothing is random, so no seed.
enum FigureStage: BuiltInStage {
  static let kind = StageKind(rawValue: "figure")
  static let outputKind: ArtifactKind? = .figure

  /// The figure's file name in the output folder.
  static let figureFile = "figure.svg"
  /// The data file of a chart.
  static let dataFile = "data.csv"
  /// The data file of a graph.
  static let graphFile = "data.dot"

  static func validate(_ stage: StageDefinition) throws {
    let specification = try FigureSpecification(stage)
    if specification.chart == .graph {
      _ = try specification.parameters.inputPath("graph", in: URL(fileURLWithPath: "/"))
    }
    _ = try specification.parameters.singleOutput(in: URL(fileURLWithPath: "/"))
  }

  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws {
    try validate(stage)
    let specification = try FigureSpecification(stage)
    let parameters = specification.parameters
    let files: [(String, Data)]
    if specification.chart == .graph {
      let source = try parameters.inputPath("graph", in: directory)
      guard FileManager.default.fileExists(atPath: source.path) else {
        throw parameters.error(
          "graph",
          "is '\(specification.graph ?? "")', which does not exist; run the stage that writes it")
      }
      guard let dot = GraphvizFigure.executable() else { throw missingGraphviz(parameters) }
      let svg: String
      do {
        svg = try GraphvizFigure.render(
          source, executable: dot, title: specification.frame.title,
          note: specification.frame.note, rankdir: specification.rankdir)
      } catch let error as FigureDataError {
        throw parameters.error("graph", error.problem)
      }
      files = [(figureFile, Data(svg.utf8)), (graphFile, try Data(contentsOf: source))]
    } else {
      let chart = try specification.chart(FigureData(directory: directory, inputs: stage.inputs))
      files = [(figureFile, Data(chart.document.text.utf8)), (dataFile, Data(chart.csv.utf8))]
    }
    let output = try parameters.singleOutput(in: directory)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    for (name, data) in files {
      try data.write(to: output.appendingPathComponent(name), options: .atomic)
    }
  }

  /// The error for a graph figure when graphviz's `dot` is not on the `PATH`.
  static func missingGraphviz(_ parameters: StageParameters) -> PipelineError {
    parameters.error(
      "chart",
      "is 'graph', which needs graphviz's `dot`, not found on PATH; install graphviz "
        + "(apt-get install graphviz)")
  }
}
