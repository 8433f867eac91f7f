import Foundation
import Testing
import VouchTestSupport

@testable import VouchPipeline

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The SVG writer under the figure stage: locale-free numbers, escaping, nice ticks, and charts
/// whose bytes are well-formed, accessible XML and a pure function of their data.
@Suite struct SVGWriterTests {
  @Test(arguments: [
    (0.0, 2, "0"), (-0.0, 2, "0"), (12.5, 2, "12.5"), (3.0, 2, "3"), (-0.25, 2, "-0.25"),
    (0.005, 2, "0.01"), (-0.004, 2, "0"), (1234567.891, 2, "1234567.89"), (1e-7, 2, "0"),
    (1e-7, 8, "0.0000001"), (2.675, 0, "3"), (1e20, 2, "1000000000000000"),
  ])
  func numbersAreFixedAndLocaleFree(value: Double, decimals: Int, expected: String) {
    #expect(SVGNumber.text(value, decimals: decimals) == expected)
  }

  @Test func fixedNumbersKeepTheirPlaces() {
    #expect(SVGNumber.text(0, decimals: 2, fixed: true) == "0.00")
    #expect(SVGNumber.text(1.5, decimals: 2, fixed: true) == "1.50")
    #expect(SVGNumber.text(-0.0001, decimals: 1, fixed: true) == "0.0")
    #expect(SVGNumber.decimals(forStep: 0.05) == 2)
    #expect(SVGNumber.decimals(forStep: 0.2) == 1)
    #expect(SVGNumber.decimals(forStep: 5) == 0)
  }

  @Test func csvNumbersAreExact() {
    #expect(SVGNumber.exact(804) == "804")
    #expect(SVGNumber.exact(0.1036330485683983) == "0.1036330485683983")
    #expect(SVGNumber.exact(-0.0) == "0")
    #expect(Double(SVGNumber.exact(1e-7)) == 1e-7)
    #expect(
      FigureCSV.text([["a,b", "say \"hi\""], ["1", "2"]]) == "\"a,b\",\"say \"\"hi\"\"\"\n1,2\n")
  }

  @Test func textAndAttributesAreEscaped() {
    let element = SVGElement("text", [("data-x", "a\"b'<&>\n")], text: "R < B & \u{1}")
    #expect(
      element.xml()
        == "<text data-x=\"a&quot;b&apos;&lt;&amp;&gt;&#10;\">R &lt; B &amp; \u{FFFD}</text>\n")
  }

  @Test func ticksAreNiceNumbers() {
    let linear = AxisScale(covering: [0.0, 0.347], logarithmic: false, includeZero: true)
    #expect(
      linear.ticks.indices.map(linear.label) == [
        "0.00", "0.05", "0.10", "0.15", "0.20", "0.25", "0.30", "0.35",
      ])
    let counts = AxisScale(covering: [3.9, 61.7], logarithmic: false, includeZero: true)
    #expect(
      counts.ticks.indices.map(counts.label) == ["0", "10", "20", "30", "40", "50", "60", "70"])
    let log = AxisScale(covering: [0.001, 0.3], logarithmic: true, includeZero: false)
    #expect(log.ticks.indices.map(log.label) == ["0.001", "0.01", "0.1", "1"])
    let flat = AxisScale(covering: [2, 2], logarithmic: false, includeZero: false)
    #expect(flat.lower < 2 && flat.upper > 2)
  }

  static let frame = FigureFrame(
    title: "Bridging keeps partial KL low", x: .init(label: "k", unit: "layers"),
    y: .init(label: "KL", unit: "nats"))

  /// One chart of each kind on tiny data.
  static func charts(bump: Double = 0) -> [(String, any FigureChart)] {
    let a = ChartSeries(name: "bridged", values: [0, 0.1 + bump, 0.35], color: "#0072B2")
    let b = ChartSeries(
      name: "no <bridging>", values: [0, 0.37, 0.49], color: "#E69F00", dashed: true)
    var scatter = a
    scatter.x = [109.4, 48.2, 25.1]
    scatter.labels = ["λ 0.001", "λ 0.03", "λ 0.1"]
    return [
      ("line", LineChart(frame: frame, x: [0, 1, 2], series: [a, b])),
      ("log line", LineChart(frame: frame, x: [0.001, 0.01, 0.1], series: [a, b], logX: true)),
      ("bar", GroupedBarChart(frame: frame, categories: ["B", "hybrid", "R"], series: [a, b])),
      ("scatter", ScatterChart(frame: frame, series: [scatter])),
      (
        "heat map",
        HeatMapChart(
          frame: frame, value: .init(label: "density", unit: ""), rows: ["reasoning", "domain"],
          columns: ["question", "<think>", "answer"],
          values: [[0.03, 0.1 + bump, 0], [0.09, 0.03, 0.02]])
      ),
    ]
  }

  @Test func everyChartIsWellFormedAccessibleSVG() throws {
    for (kind, chart) in Self.charts() {
      let text = chart.document.text
      try Self.checkStructure(text, kind: kind)
      #expect(chart.csv.hasSuffix("\n") && chart.csv.split(separator: "\n").count >= 2, "\(kind)")
    }
  }

  @Test func bytesArePureFunctionsOfTheData() {
    for ((kind, first), (_, second)) in zip(Self.charts(), Self.charts()) {
      #expect(first.document.text == second.document.text, "\(kind)")
      #expect(first.csv == second.csv, "\(kind)")
    }
    for ((kind, original), (_, bumped)) in zip(Self.charts(), Self.charts(bump: 0.01)) {
      #expect(original.document.text != bumped.document.text, "\(kind): one number changed")
    }
  }

  /// The bytes of a tiny chart, pinned: a change to the writer's layout or number formatting
  /// shows here and updates `Tests/Fixtures/figures/tiny-line.svg` on purpose.
  @Test func aTinyLineChartIsPinned() throws {
    let chart = LineChart(
      frame: FigureFrame(
        width: 320, height: 200, title: "T", x: .init(label: "x", unit: ""),
        y: .init(label: "y", unit: "u")),
      x: [0, 1], series: [ChartSeries(name: "s", values: [0, 1], color: "#0072B2")])
    #expect(chart.csv == "x,s\n0,0\n1,1\n")
    let pinned = try String(
      contentsOf: Fixtures.url("figures/tiny-line.svg"), encoding: .utf8)
    #expect(chart.document.text == pinned)
    #expect(SVGDocument.hash("") == "811c9dc5")
  }

  /// Parses `text` with Foundation's XML parser and checks what a browser and a screen reader
  /// need: the SVG namespace, viewBox, width and height on the root, `<title>` and `<desc>` as
  /// its first children, and every visible word in a `<text>` (no `<path>` glyphs).
  static func checkStructure(_ text: String, kind: String) throws {
    let outline = XMLOutline()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = outline
    #expect(parser.parse(), "\(kind): \(parser.parserError.map { "\($0)" } ?? "")")
    #expect(outline.root == "svg", "\(kind)")
    #expect(outline.rootAttributes["xmlns"] == "http://www.w3.org/2000/svg", "\(kind)")
    for name in ["viewBox", "width", "height"] {
      #expect(outline.rootAttributes[name]?.isEmpty == false, "\(kind): \(name)")
    }
    #expect(outline.rootChildren.prefix(2) == ["title", "desc"], "\(kind)")
    #expect(!outline.title.isEmpty, "\(kind)")
    #expect(outline.counts["text", default: 0] >= 2, "\(kind): words are <text>")
  }
}

/// What `checkStructure` needs from a parse: the root, its attributes, its children's names,
/// the title and how often each element occurs.
private final class XMLOutline: NSObject, XMLParserDelegate {
  var root = ""
  var rootAttributes: [String: String] = [:]
  var rootChildren: [String] = []
  var title = ""
  var counts: [String: Int] = [:]
  private var depth = 0
  private var inTitle = false

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    if depth == 0 {
      root = name
      rootAttributes = attributes
    } else if depth == 1 {
      rootChildren.append(name)
      inTitle = name == "title"
    }
    counts[name, default: 0] += 1
    depth += 1
  }

  func parser(
    _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
    qualifiedName: String?
  ) {
    depth -= 1
    if depth == 1 { inTitle = false }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if inTitle { title += string }
  }
}
