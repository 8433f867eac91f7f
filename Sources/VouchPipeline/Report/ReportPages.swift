import Foundation
import VouchCore
import VouchLineage

/// Renders the report's pages: the overview and one page per stage.
///
/// Every page is plain HTML with the style sheet inline: no script, no font or image from
/// anywhere but the site itself, so it reads the same from `file://` with no network. A verdict is
/// always a word and a symbol in a badge, never a colour alone (Okabe–Ito colours, which
/// colour-blind readers can tell apart).
struct ReportPages {
  var workspaceName: String
  var commit: GitObjectID?
  var pipelines: [ReportPipeline]

  /// `index.html`.
  func overview() -> String {
    var html = HTMLWriter()
    start(&html, title: "vouch report: \(workspaceName)", root: "")
    html.element("main") { html in
      html.element("p") { html in
        html.text("This report describes ")
        commitText(&html)
        html.text(
          ". It is built from the locks, run records and artifact manifests under manifests/ "
            + "and from the bytes in the store: every figure and data file is a copy of the "
            + "stored object named by its recorded digest, not of the working tree.")
      }
      for pipeline in pipelines { overview(of: pipeline, &html) }
    }
    finish(&html)
    return html.output
  }

  private func overview(of pipeline: ReportPipeline, _ html: inout HTMLWriter) {
    html.element("section", [("class", "pipeline"), ("id", "pipeline-\(pipeline.name)")]) {
      html in
      html.element("h2", text: "Pipeline \(pipeline.name)")
      if let description = pipeline.description { html.element("p", text: description) }
      html.element("p", [("class", "check")]) { html in
        checkText(pipeline.check, &html)
      }
      if pipeline.lockChanged {
        html.element(
          "p", [("class", "note")],
          text: "Its lock in the working tree differs from the one at the described commit "
            + "(uncommitted changes): the report shows the working tree's lock.")
      }
      html.element("table", [("class", "counts")]) { html in
        html.element("caption", text: "Verdicts of the last check")
        html.element("tr") { html in
          html.element("th", [("scope", "col")], text: "")
          for verdict in [ShownVerdict.identical, .equivalent, .mismatch, .notChecked] {
            html.element("th", [("scope", "col")]) { html in badge(verdict, &html) }
          }
        }
        for (label, counts) in [
          ("Claims", pipeline.claimCounts), ("Outputs", pipeline.outputCounts),
        ] {
          html.element("tr") { html in
            html.element("th", [("scope", "row")], text: label)
            for count in [counts.identical, counts.equivalent, counts.mismatch, counts.notChecked] {
              html.element("td", [("class", "num")], text: "\(count)")
            }
          }
        }
      }
      let figures = pipeline.stages.flatMap { stage in stage.figures.map { (stage, $0) } }
      if !figures.isEmpty {
        html.element("h3", text: "Figures")
        html.element("ul", [("class", "figures")]) { html in
          for (stage, figure) in figures {
            html.element("li") { html in
              html.element(
                "a", [("href", HTMLWriter.href(stage.page))], text: figure.title ?? figure.path)
              html.text(" (stage \(stage.name)) ")
              badge(stage.worst, &html)
            }
          }
        }
      }
      html.element("table", [("class", "stages")]) { html in
        html.element("caption", text: "Stages, in the order they run")
        html.element("tr") { html in
          for heading in ["Stage", "Kind", "Outputs", "Figures", "Claims", "Verdict"] {
            html.element("th", [("scope", "col")], text: heading)
          }
        }
        for stage in pipeline.stages {
          html.element("tr", [("class", stage.worst == .mismatch ? "row-mismatch" : nil)]) {
            html in
            html.element("td") { html in
              html.element("a", [("href", HTMLWriter.href(stage.page))], text: stage.name)
            }
            html.element("td", text: stage.record.kind.rawValue)
            html.element("td", [("class", "num")], text: "\(stage.outputs.count)")
            html.element("td", [("class", "num")], text: "\(stage.figures.count)")
            html.element("td", [("class", "num")], text: "\(stage.claims.count)")
            html.element("td") { html in
              badge(stage.worst, &html)
              let problems = Self.problems(of: stage)
              if !problems.isEmpty { html.text(" " + problems.joined(separator: ", ")) }
            }
          }
        }
      }
    }
  }

  /// What went wrong in a stage, in words: how many claims mismatched, outputs differ, or were
  /// not checked.
  static func problems(of stage: ReportStage) -> [String] {
    var words: [String] = []
    let claims = stage.claims.map(\.verdict)
    let outputs = stage.outputs.map(\.verdict)
    let mismatched = claims.filter { $0 == .mismatch }.count
    if mismatched > 0 { words.append("\(mismatched) claim(s) mismatched") }
    let differ = outputs.filter { $0 == .mismatch }.count
    if differ > 0 { words.append("\(differ) output(s) differ from the recorded ones") }
    let unchecked = claims.filter { $0 == .notChecked }.count
    if unchecked > 0 { words.append("\(unchecked) claim(s) not checked") }
    return words
  }

  /// `stages/<pipeline>/<stage>.html`.
  func page(of stage: ReportStage, in pipeline: ReportPipeline) -> String {
    let root = "../../"
    var html = HTMLWriter()
    start(&html, title: "\(stage.name) (pipeline \(pipeline.name))", root: root)
    html.element("main") { html in
      html.element("nav", [("class", "crumbs")]) { html in
        html.element("a", [("href", root + "index.html")], text: "Overview")
        html.text(" / pipeline \(pipeline.name) / stage \(stage.name)")
      }
      html.element("p", [("class", "check")]) { html in
        if let check = stage.check {
          html.text("Checked by ")
          html.element("code", text: "vouch \(check.command.rawValue)")
          html.text(
            check.command == .reproduce
              ? " (the stage was rerun from its recorded inputs)"
              : " (claims re-read from the stored outputs; nothing was rerun)")
          html.text(" at commit ")
          html.element("code", text: check.commit?.short ?? "none")
          html.text(".")
        } else {
          badge(.notChecked, &html)
          html.text(" " + (stage.uncheckedReason ?? "not checked") + ".")
        }
      }
      let problems = Self.problems(of: stage)
      html.element("p", [("class", "summary")]) { html in
        badge(stage.worst, &html)
        if !problems.isEmpty {
          html.text(" " + problems.joined(separator: ", ") + ".")
        } else if stage.check != nil {
          html.text(
            stage.worst == .identical
              ? " Every output and claim of this run was found identical."
              : " Every claim of this run is within its tolerance.")
        }
      }
      figures(stage, root: root, &html)
      claims(stage, &html)
      lineage(stage, root: root, &html)
    }
    finish(&html)
    return html.output
  }

  private func figures(_ stage: ReportStage, root: String, _ html: inout HTMLWriter) {
    // A stage without figures (most of them) starts with its claims.
    guard !stage.figures.isEmpty else { return }
    html.element("h2", text: "Figures")
    for figure in stage.figures {
      html.element("figure") { html in
        html.element(
          "img",
          [
            ("src", root + HTMLWriter.href(figure.image)),
            ("alt", figure.title ?? "Figure \(figure.path)"),
          ])
        html.element("figcaption") { html in
          if let title = figure.title { html.element("strong", text: title + " ") }
          html.element("code", text: figure.path)
          html.text(" · ")
          html.element(
            "span", [("class", "digest"), ("title", figure.digest.description)],
            text: figure.digest.short)
          html.text(" · ")
          html.element("a", [("href", root + HTMLWriter.href(figure.image))], text: "SVG")
          if let data = figure.data {
            html.text(" · ")
            html.element(
              "a", [("href", root + HTMLWriter.href(data)), ("title", figure.dataPath)],
              text: data.last?.hasSuffix(".dot") == true ? "data (DOT)" : "data (CSV)")
          }
          if let manifest = figure.manifest {
            html.text(" · ")
            html.element(
              "a", [("href", root + HTMLWriter.href(manifest))],
              text: "manifest of \(figure.output)")
          }
        }
      }
    }
  }

  private func claims(_ stage: ReportStage, _ html: inout HTMLWriter) {
    html.element("h2", text: "Claims")
    guard !stage.claims.isEmpty else {
      html.element("p", text: "This stage records no claim.")
      return
    }
    html.element("table", [("class", "claims")]) { html in
      html.element("tr") { html in
        for heading in [
          "Claim", "Value", "Unit", "Tolerance", "Verdict", "Checked value", "Read from (digest)",
        ] {
          html.element("th", [("scope", "col")], text: heading)
        }
      }
      for claim in stage.claims {
        let record = claim.record
        html.element(
          "tr",
          [
            ("class", claim.verdict == .mismatch ? "row-mismatch" : nil),
            ("data-claim", record.name), ("data-verdict", claim.verdict.rawValue),
          ]
        ) { html in
          html.element("th", [("scope", "row")]) { html in html.element("code", text: record.name) }
          html.element("td", [("class", "num")], text: record.value.text)
          html.element("td", text: record.unit)
          html.element(
            "td",
            text: record.tolerance.summary
              + (record.direction.map { " (\($0.rawValue))" } ?? ""))
          html.element("td") { html in badge(claim.verdict, &html) }
          html.element("td", [("class", "num")]) { html in
            if let check = claim.check {
              if let value = check.reproduced {
                html.text(value.text)
                if check.verdict != .identical, let difference = Self.difference(check) {
                  html.element("br")
                  html.text("difference \(difference), tolerance \(check.tolerance)")
                }
              } else {
                html.text("could not be read")
              }
              if let problem = check.problem {
                html.element("br")
                html.element("small", text: problem)
              }
            } else {
              html.text("—")
            }
          }
          html.element("td") { html in
            html.element("code", text: record.source.rawValue)
            html.text(" ")
            html.element(
              "span", [("class", "digest"), ("title", record.sourceDigest.description)],
              text: record.sourceDigest.short)
          }
        }
      }
    }
  }

  /// The checked value minus the recorded one, to six significant digits, and relative to the
  /// recorded value when that is not zero (`+0.019989 (+1.00%)`); the exact values are in the
  /// table beside it and in the verdict record.
  static func difference(_ check: VerdictRecord.Claim) -> String? {
    guard let reproduced = check.reproduced else { return nil }
    let difference = reproduced.value - check.recorded.value
    var text = String(format: "%+.6g", difference)
    if check.recorded.value != 0 {
      text += String(format: " (%+.3g%%)", 100 * difference / abs(check.recorded.value))
    }
    return text
  }

  private func lineage(_ stage: ReportStage, root: String, _ html: inout HTMLWriter) {
    let record = stage.record
    html.element("h2", text: "Lineage")
    let graph = LineageSVG(
      stage: .init(label: stage.name, detail: "run \(record.runKey.digest.description)"),
      inputs: record.inputs.sorted(by: { $0.key < $1.key }).map {
        .init(label: $0.key, detail: "\($0.key) \($0.value)")
      },
      outputs: record.outputs.sorted(by: { $0.key < $1.key }).map {
        .init(label: $0.key, detail: "\($0.key) \($0.value)")
      })
    html.element("div", [("class", "graph")]) { html in html.raw(graph.render()) }
    html.element("dl", [("class", "facts")]) { html in
      func fact(_ name: String, _ value: String, code: Bool = true) {
        html.element("dt", text: name)
        html.element("dd") { html in
          if code { html.element("code", text: value) } else { html.text(value) }
        }
      }
      fact("Run key", record.runKey.digest.description)
      fact("Kind", record.kind.rawValue)
      if let command = record.command { fact("Command", command) }
      html.element("dt", text: "Parameters")
      html.element("dd") { html in
        if record.parameters.isEmpty { html.element("code", text: "none") }
        for (index, name) in record.parameters.keys.sorted().enumerated() {
          if index > 0 { html.element("br") }
          html.element(
            "code", text: "\(name) = \(record.parameters[name].map(Self.text) ?? "")")
        }
      }
      fact("Seed", record.seed.map(String.init) ?? "none")
      fact(
        "Code commit",
        (record.code.commit?.hex ?? "none (the repository had no commit, or no git)")
          + (record.code.dirty ? " with uncommitted changes" : ""))
      fact("Engine", record.engine.summary.isEmpty ? "none recorded" : record.engine.summary)
    }
    html.element("table", [("class", "inputs")]) { html in
      html.element("caption", text: "Inputs")
      html.element("tr") { html in
        html.element("th", [("scope", "col")], text: "Path")
        html.element("th", [("scope", "col")], text: "Digest")
      }
      for (path, digest) in record.inputs.sorted(by: { $0.key < $1.key }) {
        html.element("tr") { html in
          html.element("td") { html in html.element("code", text: path) }
          html.element("td") { html in
            html.element("code", [("class", "digest")], text: digest.description)
          }
        }
      }
    }
    html.element("table", [("class", "outputs")]) { html in
      html.element("caption", text: "Outputs")
      html.element("tr") { html in
        for heading in ["Path", "Kind", "Digest", "Verdict", "Manifest"] {
          html.element("th", [("scope", "col")], text: heading)
        }
      }
      for output in stage.outputs {
        html.element("tr", [("class", output.verdict == .mismatch ? "row-mismatch" : nil)]) {
          html in
          html.element("td") { html in html.element("code", text: output.path) }
          html.element("td", text: output.kind ?? "—")
          html.element("td") { html in
            html.element("code", [("class", "digest")], text: output.digest.description)
            if !output.stored { html.element("small", text: " (not in the store: `vouch fetch`)") }
            if let reproduced = output.reproduced, reproduced != output.digest {
              html.element("br")
              html.element("small", text: "reproduced \(reproduced.short)")
            }
          }
          html.element("td") { html in badge(output.verdict, &html) }
          html.element("td") { html in
            if let manifest = output.manifest {
              html.element("a", [("href", root + HTMLWriter.href(manifest))], text: "JSON")
            } else {
              html.text("—")
            }
          }
        }
      }
    }
  }

  static func text(_ value: ParameterValue) -> String {
    (try? String(decoding: CanonicalJSON.data(for: value), as: UTF8.self)) ?? "?"
  }

  private func badge(_ verdict: ShownVerdict, _ html: inout HTMLWriter) {
    html.element(
      "span", [("class", "badge \(verdict.css)")], text: "\(verdict.symbol) \(verdict.rawValue)")
  }

  private func commitText(_ html: inout HTMLWriter) {
    if let commit {
      html.text("commit ")
      html.element("code", [("title", commit.hex)], text: commit.hex)
    } else {
      html.text("a workspace with no git commit")
    }
  }

  private func checkText(_ check: VerdictRecord?, _ html: inout HTMLWriter) {
    guard let check else {
      badge(.notChecked, &html)
      html.text(" Never checked here: run ")
      html.element("code", text: "vouch reproduce")
      html.text(" or ")
      html.element("code", text: "vouch verify")
      html.text(", then write the report again.")
      return
    }
    html.text("Last check: ")
    html.element("code", text: "vouch \(check.command.rawValue)")
    html.text(" at commit ")
    html.element("code", text: check.commit?.short ?? "none")
    if check.commit != commit {
      html.text(" (not the commit this report describes)")
    }
    html.text(".")
  }

  private func start(_ html: inout HTMLWriter, title: String, root: String) {
    html.raw("<!DOCTYPE html>\n")
    html.open("html", [("lang", "en")])
    html.element("head") { html in
      html.open("meta", [("charset", "utf-8")])
      html.open("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
      html.element("title", text: title)
      html.element("style") { html in html.raw(Self.style) }
    }
    html.open("body")
    html.element("header") { html in
      html.element("p", [("class", "brand")]) { html in
        html.element("a", [("href", root + "index.html")], text: "vouch report")
        html.text(" · \(workspaceName)")
      }
      html.element("h1", text: title)
    }
  }

  private func finish(_ html: inout HTMLWriter) {
    html.element("footer") { html in
      html.text("Written by vouch report from ")
      commitText(&html)
      html.text(
        ". Verdicts: ✓ identical, ≈ equivalent (within tolerance), ✗ mismatch, ? not checked.")
    }
    html.close("body")
    html.close("html")
    html.raw("\n")
  }

  /// The inline style sheet (Okabe–Ito colours; each verdict also has a symbol and a border).
  static let style = """
    body{font:15px/1.45 system-ui,"DejaVu Sans",Arial,sans-serif;margin:0;color:#1b1b1b;\
    background:#fafafa}
    header{background:#1f2d3d;color:#fff;padding:12px 24px}
    header a{color:#cfe3ff}
    header .brand{margin:0 0 4px;font-size:.9em}
    h1{font-size:1.5em;margin:0;overflow-wrap:anywhere}
    main{max-width:1200px;margin:0 auto;padding:12px 24px 32px}
    h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc;padding-bottom:4px}
    table{border-collapse:collapse;margin:8px 0 16px;background:#fff}
    table.claims,table.stages,table.inputs,table.outputs{width:100%}
    caption{text-align:left;font-weight:600;padding:4px 0}
    th,td{border:1px solid #d0d0d0;padding:5px 8px;text-align:left;vertical-align:top}
    th{background:#eef1f4}
    td.num{text-align:right;font-variant-numeric:tabular-nums}
    code{font-family:"DejaVu Sans Mono",monospace;font-size:.88em;overflow-wrap:anywhere}
    .digest{font-family:"DejaVu Sans Mono",monospace;font-size:.85em;color:#333}
    .badge{display:inline-block;padding:0 8px;border-radius:10px;font-weight:700;\
    white-space:nowrap;border:2px solid}
    .v-identical{color:#08456f;background:#e3effa;border-color:#0072B2}
    .v-equivalent{color:#00573f;background:#dff3ec;border-color:#009E73}
    .v-mismatch{color:#6e2500;background:#fde0cc;border-color:#D55E00;border-width:3px}
    .v-unchecked{color:#3d3d3d;background:#ececec;border-color:#6d6d6d;border-style:dashed}
    tr.row-mismatch>*{background:#fff1e8}
    figure{background:#fff;border:1px solid #d0d0d0;padding:12px;margin:12px 0}
    figure img{max-width:100%;max-height:85vh;width:auto;height:auto;display:block;\
    min-width:240px}
    figcaption{margin-top:8px;font-size:.9em}
    .graph{overflow-x:auto;background:#fff;border:1px solid #d0d0d0;padding:8px}
    svg.lineage{max-width:100%;height:auto}
    svg.lineage rect{fill:#fff;stroke:#666}
    svg.lineage .stage rect{fill:#e3effa;stroke:#0072B2;stroke-width:2}
    svg.lineage .output rect{fill:#fff4dc;stroke:#E69F00}
    svg.lineage text{font:12px "DejaVu Sans Mono",monospace;fill:#1b1b1b}
    svg.lineage .edge{stroke:#777;stroke-width:1.5}
    svg.lineage .arrow{fill:#777}
    .note{background:#fff4dc;border-left:4px solid #E69F00;padding:8px 12px}
    dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}
    dt{font-weight:600}
    table.claims th code{white-space:nowrap}
    h3{font-size:1em;margin:1.2em 0 .4em}
    ul.figures{padding-left:1.2em}
    ul.figures li{margin:3px 0}
    dd{margin:0}
    footer{max-width:1200px;margin:0 auto;padding:0 24px 24px;font-size:.85em;color:#555}

    """
}
