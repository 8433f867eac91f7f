import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch remote gc`.
  struct RemoteGarbageCollect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "gc",
      abstract: "Removes what killed pushes left on a remote, and on request unreferenced objects.",
      discussion: """
        Removes the temporary files that killed pushes left in the remote's tmp/, once running \
        pushes and checks have finished (it waits up to VOUCH_LOCK_TIMEOUT seconds, default \
        60, and pushes wait for it).

        With --unreferenced it also deletes every object and recipe on the remote that this \
        workspace does not reference: it keeps what `vouch gc` keeps (the artifact manifests, \
        pipeline locks and run records in the working tree, at HEAD and at each --keep-rev) \
        and the chunks of kept recipes. Other clones and branches may still need objects this \
        workspace does not reference; --unreferenced removes those too, and fetching them then \
        fails until someone pushes them again. Run it with --dry-run first.

        Exit status 64 for an unknown remote or revision, or a remote directory that is missing \
        or not a vouch remote; 11 when pushes keep the remote locked past VOUCH_LOCK_TIMEOUT; \
        12 when a kept recipe on the remote is damaged (nothing is deleted then).
        """)

    @Flag(
      name: .customLong("dry-run"), help: "Print what would be removed without removing anything.")
    var dryRun = false

    @Flag(
      name: .customLong("unreferenced"),
      help: "Also delete what this workspace does not reference (other clones may need it).")
    var unreferenced = false

    @Option(
      name: .customLong("keep-rev"), parsing: .upToNextOption,
      help: "With --unreferenced, also keep what the manifests at these git revisions reference.")
    var keepRevisions: [String] = []

    @OptionGroup var remote: RemoteOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
      if !keepRevisions.isEmpty && !unreferenced {
        throw ValidationError("--keep-rev only applies with --unreferenced; add --unreferenced")
      }
    }

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let report = try RemoteGarbageCollection(workspace: workspace).run(
        remote: remote.name, unreferenced: unreferenced, keepRevisions: keepRevisions,
        dryRun: dryRun)
      if output.json { return try context.printJSON(report) }
      let result = report.result
      let verb = dryRun ? "would remove" : "removed"
      for item in result.deleted {
        context.print("\(verb) \(item.kind.rawValue) \(item.digest)  \(item.size)")
      }
      context.print(
        "remote '\(report.remote)' (\(report.location)): \(verb) \(result.leftovers.files)"
          + " temporary file(s) left by killed pushes (\(result.leftovers.bytes))")
      if result.unreferenced {
        context.print(
          "\(verb) \(result.deleted.count) unreferenced file(s), \(result.deletedBytes); kept"
            + " \(result.keptObjects) object(s) and \(result.keptRecipes) recipe(s),"
            + " \(result.keptBytes), for manifests in \(report.keptFrom.joined(separator: ", "))")
      }
    }
  }
}
