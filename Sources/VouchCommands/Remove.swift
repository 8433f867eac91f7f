import ArgumentParser
import Foundation
import VouchCore
import VouchLineage
import VouchPipeline

extension VouchCommand {
  /// `vouch rm`.
  struct Remove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rm",
      abstract: "Stops tracking artifacts: deletes their manifests and their .gitignore lines.",
      discussion: """
        Each PATH must be an artifact (a path `vouch ls` lists). Its manifest \
        manifests/artifacts/<PATH>.json is deleted and /<PATH> leaves .gitignore; the file or \
        folder itself stays in the workspace, now untracked (git sees it again), unless --delete \
        is given. Commit manifests/ and .gitignore afterwards.

        The stored bytes stay in the store until `vouch gc` finds nothing naming them, so restoring \
        the manifest from git and running `vouch checkout` brings an artifact back until then. \
        --delete refuses a file or folder whose changes are not stored.

        The outputs of pipeline stages cannot be untracked: `vouch run` records them again. \
        Remove them from their stage's outputs instead.

        Exit status 64 for a path that is not an artifact, a stage output, or (with --delete) \
        unstored changes; 10 outside a workspace; 11 when the workspace stays locked.
        """)

    @Argument(help: "Artifacts to untrack.", completion: .file())
    var paths: [String] = []

    @Flag(help: "Also delete the files or folders from the workspace.")
    var delete = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
      if paths.isEmpty { throw ValidationError("name at least one artifact to untrack") }
    }

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let outcomes = try ArtifactRemover(workspace: workspace).remove(
        paths, delete: delete, currentDirectory: context.currentDirectory)
      if output.json { return try context.printJSON(outcomes) }
      for outcome in outcomes {
        let file = outcome.deleted ? "file deleted" : "file kept"
        context.print(
          "removed   \(outcome.path)  \(outcome.kind.rawValue)  \(outcome.digest.short)  \(outcome.size)  (\(file))"
        )
      }
      context.print(
        "\(outcomes.count) artifact(s) untracked; their bytes stay in the store until `vouch gc`; commit manifests/ and .gitignore"
      )
    }
  }
}
