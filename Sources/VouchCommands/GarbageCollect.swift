import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch gc`.
  struct GarbageCollect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "gc",
      abstract: "Deletes stored objects that no manifest references.",
      discussion: """
        Keeps everything named by the artifact manifests in the working tree, at HEAD, and at each \
        --keep-rev revision (a branch, tag or commit); deletes every other object and recipe. \
        Waits for running adds to finish first. --dry-run prints what it would delete, with sizes.

        Exit status 64 for a revision that names no commit; 11 when the store stays locked.
        """)

    @Flag(
      name: .customLong("dry-run"), help: "Print what would be deleted without deleting anything.")
    var dryRun = false

    @Option(
      name: .customLong("keep-rev"), parsing: .upToNextOption,
      help: "Also keep what the manifests at these git revisions reference.")
    var keepRevisions: [String] = []

    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let report = try GarbageCollection(workspace: workspace).run(
        keepRevisions: keepRevisions, dryRun: dryRun)
      if output.json { return try context.printJSON(report) }
      let verb = dryRun ? "would delete" : "deleted"
      for item in report.store.deleted {
        context.print("\(verb) \(item.kind.rawValue) \(item.digest)  \(item.size)")
      }
      if report.store.extractedChunks > 0 {
        context.print(
          "\(dryRun ? "would extract" : "extracted") \(report.store.extractedChunks) chunk(s),"
            + " \(report.store.extractedBytes), from linked files still needed by kept ones")
      }
      if report.store.quarantinedFiles > 0 {
        context.print(
          "\(verb) \(report.store.quarantinedFiles) damaged file(s) from .vouch/quarantine/,"
            + " \(report.store.quarantinedBytes)")
      }
      context.print(
        "\(verb) \(report.store.deleted.count) file(s), \(report.store.deletedBytes); kept \(report.store.keptObjects) object(s) and \(report.store.keptRecipes) recipe(s), \(report.store.keptBytes), for manifests in \(report.keptFrom.joined(separator: ", "))"
      )
    }
  }
}
