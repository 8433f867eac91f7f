import ArgumentParser
import Foundation
import VouchCore
import VouchLineage
import VouchPipeline

extension VouchCommand {
  /// `vouch lineage`.
  struct Lineage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "lineage",
      abstract: "Shows the runs and inputs an artifact came from, or everything derived from it.",
      discussion: """
        Upstream (the default): the artifact, the run that produced it (stage, run key, command, \
        parameters, seed, code commit, engine), that run's inputs, and so on down to the raw \
        inputs. --downstream lists every run that used the artifact, directly or through other \
        runs, with what they produced. --format dot prints a Graphviz digraph \
        (vouch lineage X --format dot | dot -Tsvg > lineage.svg).

        Exit status 64 when nothing recorded matches PATH or DIGEST.
        """)

    /// How to print the result.
    enum Format: String, ExpressibleByArgument, CaseIterable {
      case text, json, dot
    }

    @Argument(help: "An artifact path, or a digest (sha256:… or at least 8 hex characters).")
    var artifact: String

    @Flag(help: "List everything derived from the artifact instead of where it came from.")
    var downstream = false

    @Option(help: "Output format: text, json or dot.")
    var format: Format = .text

    @Flag(help: "Same as --format json.")
    var json = false

    func run() async throws {
      let context = CommandContext()
      let query = try LineageQuery(workspace: try context.workspace())
      let version = try query.artifact(artifact, currentDirectory: context.currentDirectory)
      let format = json ? .json : format
      if downstream {
        let runs = query.graph.downstream(of: version.digest)
        switch format {
        case .json:
          try context.printJSON(runs.map(DownstreamRow.init))
        case .dot:
          context.print(Self.downstreamDot(version, runs))
        case .text:
          context.print("\(version.path)  \(version.digest.short)")
          if runs.isEmpty { context.print("  nothing recorded is derived from it") }
          for run in runs {
            let outputs = run.outputs.keys.sorted().joined(separator: ", ")
            let name = "\(run.pipeline):\(run.stage)"
            context.print("  → run \(name)  \(run.runKey.short)  → \(outputs)")
          }
        }
        return
      }
      let tree = query.graph.upstream(of: version)
      switch format {
      case .json: try context.printJSON(tree)
      case .dot: FileHandle.standardOutput.write(Data(tree.dot().utf8))
      case .text: for line in tree.textLines() { context.print(line) }
      }
    }

    static func downstreamDot(_ root: ArtifactVersion, _ runs: [RunRecord]) -> String {
      var lines = ["digraph downstream {", "  rankdir=LR;"]
      lines.append("  \"a:\(root.digest.hex)\" [shape=box, label=\"\(root.path)\"];")
      for run in runs {
        let id = "r:\(run.runKey.digest.hex)"
        lines.append("  \"\(id)\" [shape=ellipse, label=\"\(run.pipeline):\(run.stage)\"];")
        for digest in Set(run.inputs.values).sorted() {
          lines.append("  \"a:\(digest.hex)\" -> \"\(id)\";")
        }
        for (path, digest) in run.outputs.sorted(by: { $0.key < $1.key }) {
          lines.append("  \"a:\(digest.hex)\" [shape=box, label=\"\(path)\"];")
          lines.append("  \"\(id)\" -> \"a:\(digest.hex)\";")
        }
      }
      lines.append("}")
      return lines.joined(separator: "\n")
    }
  }
}

/// One run in `vouch lineage --downstream --json`.
struct DownstreamRow: Encodable {
  var pipeline: String
  var stage: String
  var runKey: RunKey
  var outputs: [String: Digest]

  init(_ run: RunRecord) {
    pipeline = run.pipeline
    stage = run.stage
    runKey = run.runKey
    outputs = run.outputs
  }
}
