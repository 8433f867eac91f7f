import ArgumentParser
import Foundation
import VouchCore
import VouchLineage
import VouchPipeline

extension VouchCommand {
  /// `vouch add`.
  struct Add: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Stores files or directories and records them as artifacts under manifests/.",
      discussion: """
        Each PATH is hashed (SHA-256) and stored in .vouch/; its manifest is written to \
        manifests/artifacts/<PATH>.json and /<PATH> is added to .gitignore, so commit the manifest \
        and git never sees the bytes. Adding a path again records its new content.

        Kinds are detected unless --kind is given: a folder with config.json and *.safetensors is a \
        model (an adapter with adapter_config.json); weights files are models (adapters when the \
        name mentions adapter, lora or transcoder); .svg/.png/.jpg/.pdf are figures; \
        .json/.jsonl/.csv/.tsv/.parquet/.arrow/.txt/.npy are datasets (labels or results when the \
        name mentions label, or result/metric/eval/score); anything else is other.

        Exit status 64 for a missing, unreadable or outside path or a file that changed while \
        being read; 10 outside a workspace; 11 when the store stays locked.
        """)

    @Argument(help: "Files or folders inside the workspace.", completion: .file())
    var paths: [String] = []

    @Option(help: "The kind to record instead of detecting it.")
    var kind: ArtifactKind?

    @OptionGroup var output: OutputOptions

    func validate() throws {
      if paths.isEmpty { throw ValidationError("name at least one file or folder to add") }
    }

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let (bar, progress) = context.progress("adding")
      defer { bar?.finish() }
      let outcomes = try ArtifactAdder(workspace: workspace).add(
        paths, kind: kind, currentDirectory: context.currentDirectory, progress: progress)
      bar?.finish()
      if output.json { return try context.printJSON(outcomes.map(AddRow.init)) }
      var newBytes = ByteCount(0)
      for outcome in outcomes {
        let manifest = outcome.manifest
        let files = manifest.files.map { ", \($0.count) files" } ?? ""
        context.print(
          "\(outcome.change.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(manifest.path)  \(manifest.kind.rawValue)  \(manifest.digest.short)  \(manifest.size)\(files)"
        )
        newBytes += outcome.newBytes
      }
      context.print(
        "\(outcomes.count) artifact(s) recorded, \(newBytes) new in the store; commit manifests/ and .gitignore"
      )
    }
  }
}

/// One artifact in `vouch add --json`.
struct AddRow: Encodable {
  var path: String
  var kind: ArtifactKind
  var digest: Digest
  var size: ByteCount
  var fileCount: Int?
  var change: String
  var newBytes: ByteCount

  init(_ outcome: ArtifactAdder.Outcome) {
    path = outcome.manifest.path
    kind = outcome.manifest.kind
    digest = outcome.manifest.digest
    size = outcome.manifest.size
    fileCount = outcome.manifest.files?.count
    change = outcome.change.rawValue
    newBytes = outcome.newBytes
  }
}
