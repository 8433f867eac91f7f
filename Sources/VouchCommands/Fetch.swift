import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch fetch`.
  struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "fetch",
      abstract: "Brings the objects that artifacts need from a remote into the store.",
      discussion: """
        With no PATH, fetches everything the artifact manifests, pipeline locks and run records \
        in the working tree and at HEAD reference; a PATH selects as in `vouch push`. Every byte \
        is re-hashed before it enters the store, and nothing damaged does: a corrupt remote \
        object is reported with its digest and the artifacts it breaks. Workspace files are not \
        touched (`vouch pull` = fetch + checkout).

        Exit status 12 when a remote object is damaged, or when a named PATH needs content the \
        remote lacks (without PATH that is a warning); 64 for an unknown remote or PATH, or a \
        remote directory that is missing or not a vouch remote; 11 when a `vouch remote gc` \
        keeps the remote locked past VOUCH_LOCK_TIMEOUT.
        """)

    @Argument(help: "Artifacts to fetch (everything referenced when omitted).")
    var paths: [String] = []

    @OptionGroup var remote: RemoteOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let report = try context.transfer(
        .fetch, remote: remote.name, paths: paths, in: workspace)
      try context.finish(report, json: output.json)
    }
  }
}
