import Foundation
import Testing
import VouchCore
import VouchLineage

@testable import VouchPipeline

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The report's HTML writer escapes everything from manifests, and its lineage SVG is well-formed
/// and deterministic.
@Suite struct ReportHTMLTests {
  @Test(arguments: [
    ("a<b>&c", "a&lt;b&gt;&amp;c"),
    ("&lt;", "&amp;lt;"),
    ("tab\tnew\nline", "tab\tnew\nline"),
    ("nul\u{0}bell\u{7}", "nul\u{FFFD}bell\u{FFFD}"),
    ("λ_L1 → 0.1", "λ_L1 → 0.1"),
  ])
  func textIsEscaped(input: String, expected: String) {
    #expect(HTMLWriter.escapeText(input) == expected)
  }

  @Test func attributesCannotBeLeft() {
    var html = HTMLWriter()
    html.element(
      "a", [("href", "x\" onclick=\"evil()"), ("title", "it's <b>"), ("id", nil)],
      text: "</a><script>")
    #expect(
      html.output
        == "<a href=\"x&quot; onclick=&quot;evil()\" title=\"it&#39;s &lt;b&gt;\">&lt;/a&gt;&lt;script&gt;</a>"
    )
  }

  @Test func voidElementsHaveNoEndTag() {
    var html = HTMLWriter()
    html.element("img", [("src", "a.svg"), ("alt", "A")])
    html.element("br")
    #expect(html.output == "<img src=\"a.svg\" alt=\"A\"><br>")
  }

  @Test func hrefsArePercentEncoded() {
    #expect(HTMLWriter.href(["manifests", "a b#c?.json"]) == "manifests/a%20b%23c%3F.json")
    #expect(HTMLWriter.href(["stages", "p", "λ.html"]) == "stages/p/%CE%BB.html")
  }

  @Test func lineageIsWellFormedAndDeterministic() throws {
    let graph = LineageSVG(
      stage: .init(label: "train", detail: "run sha256:ab"),
      inputs: [
        .init(label: "data/<points>.csv", detail: "d"),
        .init(label: String(repeating: "long/", count: 20) + "x", detail: "e"),
      ],
      outputs: [.init(label: "model", detail: "m & n")])
    let svg = graph.render()
    #expect(svg == graph.render())
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.contains("viewBox=\"0 0 "))
    #expect(svg.contains("<title>Lineage of stage train</title>"))
    #expect(svg.contains("<desc>"))
    #expect(svg.contains("data/&lt;points&gt;.csv"))
    #expect(svg.contains("…"))
    let document = try XMLDocument(data: Data(svg.utf8))
    #expect(document.rootElement()?.name == "svg")
  }

  @Test func figureTitleIsTheSVGsOwn() {
    let chart = #"<?xml version="1.0"?><svg role="img"><title id="t">A &amp; B &lt;3</title>"#
    #expect(ReportWriter.title(of: Data(chart.utf8)) == "A & B <3")
    let graph = #"<svg><g id="graph0" class="graph"><title>attribution</title>"#
    #expect(ReportWriter.title(of: Data(graph.utf8)) == "attribution")
    #expect(ReportWriter.title(of: Data("<svg><titles/></svg>".utf8)) == nil)
  }

  @Test func figureDataIsTheCSVBesideIt() throws {
    func file(_ path: String) -> ArtifactFile {
      ArtifactFile(
        path: path, digest: Digest.of(Data(path.utf8)), size: ByteCount(1), executable: false)
    }
    let files = Dictionary(
      uniqueKeysWithValues: [
        "figure.svg", "data.csv", "b/plot.svg", "b/plot.csv", "g/x.svg", "g/data.dot",
      ]
      .map { ($0, file($0)) })
    #expect(ReportWriter.dataFile(for: "figure.svg", in: files)?.path == "data.csv")
    #expect(ReportWriter.dataFile(for: "b/plot.svg", in: files)?.path == "b/plot.csv")
    #expect(ReportWriter.dataFile(for: "g/x.svg", in: files)?.path == "g/data.dot")
    #expect(ReportWriter.dataFile(for: "h/y.svg", in: files) == nil)
  }
}
