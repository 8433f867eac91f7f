import Foundation
import Testing
import VouchTestSupport

/// `figure` stages under the built `vouch`: drawn from a command stage's JSON, stored as
/// `figure` artifacts, reproduced identically, redrawn when one input number changes, and a bad
/// reference fails the run with one line and no output.
@Suite struct FigureStageCommandTests {
  /// A workspace whose `results` stage writes `results/kl.json` (via `emit.sh`), then a line
  /// figure and a graph figure of it.
  static func sandbox() throws -> Sandbox {
    let sandbox = try Sandbox.pipeline(example: false)
    try sandbox.write(
      "emit.sh",
      """
      mkdir -p results
      printf '{"first_k_kl": [0, 0.1, 0.35], "last_k_kl": [0, 0.2, 0.35]}\\n' > results/kl.json
      printf 'digraph g {\\n  rankdir=BT;\\n  t0 [label="0: wait"];\\n  t1 -> t0;\\n}\\n' > results/graph.dot

      """)
    try sandbox.write(
      "manifests/figures.pipeline.toml",
      """
      schemaVersion = 1
      [stages.results]
      command = "sh emit.sh"
      inputs = ["emit.sh"]
      outputs = ["results"]

      [stages.partial-kl]
      kind = "figure"
      inputs = ["results"]
      outputs = ["figures/partial-kl"]

      [stages.partial-kl.parameters]
      chart = "line"
      title = "Bridging keeps partial KL at or below the full replacement's"
      x-label = "k"
      x-unit = "layers"
      y-label = "KL(R ‖ partial replacement)"
      y-unit = "nats"
      series = [
        { name = "first k", values = "results/kl.json#$.first_k_kl" },
        { name = "last k", values = "results/kl.json#$.last_k_kl" },
      ]

      [stages.graph]
      kind = "figure"
      inputs = ["results"]
      outputs = ["figures/graph"]
      parameters = { chart = "graph", title = "t1 drives wait", graph = "results/graph.dot" }

      """)
    return sandbox
  }

  @Test func figuresRunAsFigureArtifactsAndReproduceIdentically() throws {
    let sandbox = try Self.sandbox()
    let run = try sandbox.vouch(["run"])
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(run.stdout.contains("ran        figures:partial-kl"), "\(run.stdout)")
    let csv = try #require(sandbox.text("figures/partial-kl/data.csv"))
    #expect(csv == "k (layers),first k,last k\n0,0,0\n1,0.1,0.2\n2,0.35,0.35\n")
    let svg = try #require(sandbox.text("figures/partial-kl/figure.svg"))
    #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
    let show = try sandbox.vouch(["show", "figures/partial-kl", "--json"])
    #expect(show.stdout.contains("\"kind\": \"figure\""), "\(show.stdout)")
    let reproduce = try sandbox.vouch(["reproduce"])
    #expect(reproduce.status == 0, "\(reproduce.stdout)\(reproduce.stderr)")
    #expect(
      reproduce.stdout.contains("identical   partial-kl / figures/partial-kl"),
      "\(reproduce.stdout)")
    #expect(reproduce.stdout.contains("identical   graph / figures/graph"), "\(reproduce.stdout)")
    #expect(reproduce.stdout.contains("0 equivalent, 0 mismatch"), "\(reproduce.stdout)")

    // One input number changes: the figure's bytes (and so its digest) change.
    try sandbox.edit("emit.sh", replacing: "0.1, 0.35", with: "0.11, 0.35")
    let again = try sandbox.vouch(["run"])
    #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    #expect(sandbox.text("figures/partial-kl/figure.svg") != svg)
  }

  @Test func aBadReferenceFailsTheRunInOneLineAndWritesNoFigure() throws {
    let sandbox = try Self.sandbox()
    try sandbox.edit(
      "manifests/figures.pipeline.toml", replacing: "$.last_k_kl", with: "$.last_kl")
    let run = try sandbox.vouch(["run"])
    #expect(run.status == 64, "\(run.stdout)\(run.stderr)")
    #expect(
      run.stderr.contains(
        "stage 'partial-kl' (kind 'figure'): parameter 'series[1].values' "
          + "'results/kl.json#$.last_kl': no key 'last_kl' at $; it has first_k_kl, last_k_kl"),
      "\(run.stderr)")
    #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    #expect(sandbox.text("figures/partial-kl/figure.svg") == nil)
  }
}
