import Foundation
import Testing

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
}
