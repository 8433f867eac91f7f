import ArgumentParser
import Foundation
import VouchPipeline
import VouchStore

extension VouchCommand {
  /// `vouch checkout`.
  struct Checkout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "checkout",
      abstract: "Restores artifacts from the store into the workspace, verifying every byte.",
      discussion: """
        With no PATH, restores every artifact whose files are missing or differ. A PATH may be an \
        artifact, a folder holding artifacts or a file inside a folder artifact. Files with local \
        changes that are not in the store are never replaced without --force. Files present in \
        an artifact's folder but not in its manifest are left alone.

        Exit status 12 when a stored object is corrupt or missing; 1 for unstored local changes.
        """)

    @Argument(help: "Artifacts (or files inside folder artifacts) to restore; all when omitted.")
    var paths: [String] = []

    @Option(
      help: """
        How to place bytes: auto (reflink, else copy; never a hardlink), reflink, hardlink \
        (read-only links to whole-file objects; chunked files are copied) or copy.
        """)
    var mode: MaterializeMode = .auto

    @Flag(help: "Replace files even when their local changes are not stored.")
    var force = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let (bar, progress) = context.progress("checkout")
      defer { bar?.finish() }
      let summary = try CheckoutOperation(workspace: workspace).run(
        paths, currentDirectory: context.currentDirectory, mode: mode, force: force,
        progress: progress)
      bar?.finish()
      if output.json { return try context.printJSON(summary) }
      for path in summary.restoredPaths { context.print("restored  \(path)") }
      context.print(
        "\(summary.restored) file(s) restored (\(summary.bytes)), \(summary.unchanged) already up to date"
      )
    }
  }
}
