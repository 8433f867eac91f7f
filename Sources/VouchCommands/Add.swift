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

        With --link, each file larger than the chunking threshold (1 MiB) on the store's \
        filesystem is adopted instead of copied: it is hashed and chunked as usual, then \
        hard-linked into .vouch/objects as its whole object, so adding costs no copy and no \
        extra disk space. The workspace file shares the stored inode and becomes read-only \
        (0444); edit a copy, never the file in place (root ignores 0444, and an in-place edit \
        would damage the stored copy, which `vouch check` then reports). That risk is why \
        copying stays the default; set "add": {"link": true} in .vouch/config to make --link \
        the default (--copy overrides it). Executables and files on another filesystem are \
        copied, with a note on stderr.

        Exit status 64 for a missing, unreadable or outside path or a file that changed while \
        being read; 10 outside a workspace; 11 when the store stays locked.
        """)

    @Argument(help: "Files or folders inside the workspace.", completion: .file())
    var paths: [String] = []

    @Option(help: "The kind to record instead of detecting it.")
    var kind: ArtifactKind?

    @Flag(
      help: """
        Adopt large files by hard link instead of copying them (no copy, no extra space; the \
        file becomes read-only).
        """)
    var link = false

    @Flag(help: "Copy files into the store even when .vouch/config makes --link the default.")
    var copy = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
      if paths.isEmpty { throw ValidationError("name at least one file or folder to add") }
      if link && copy { throw ValidationError("--link and --copy exclude each other; pick one") }
    }

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let (bar, progress) = context.progress("adding")
      defer { bar?.finish() }
      let adopt = link || (!copy && workspace.store.linksByDefault)
      let outcomes = try ArtifactAdder(workspace: workspace).add(
        paths, kind: kind, link: adopt, currentDirectory: context.currentDirectory,
        progress: progress)
      bar?.finish()
      for note in outcomes.flatMap(\.notes) { Diagnostics.warning(note) }
      if output.json { return try context.printJSON(outcomes.map(AddRow.init)) }
      var newBytes = ByteCount(0)
      for outcome in outcomes {
        let manifest = outcome.manifest
        let files = manifest.files.map { ", \($0.count) files" } ?? ""
        let linked = outcome.linkedFiles > 0 ? ", \(outcome.linkedFiles) linked" : ""
        context.print(
          "\(outcome.change.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(manifest.path)  \(manifest.kind.rawValue)  \(manifest.digest.short)  \(manifest.size)\(files)\(linked)"
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
  var linkedFiles: Int

  init(_ outcome: ArtifactAdder.Outcome) {
    path = outcome.manifest.path
    kind = outcome.manifest.kind
    digest = outcome.manifest.digest
    size = outcome.manifest.size
    fileCount = outcome.manifest.files?.count
    change = outcome.change.rawValue
    newBytes = outcome.newBytes
    linkedFiles = outcome.linkedFiles
  }
}
