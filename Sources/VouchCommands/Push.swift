import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch push`.
  struct Push: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "push",
      abstract: "Sends the objects that artifacts need to a remote, verifying every byte.",
      discussion: """
        With no PATH, sends everything the artifact manifests, pipeline locks and run records in \
        the working tree and at HEAD reference (what `vouch gc` keeps). A PATH may be an \
        artifact, a folder holding artifacts or a file inside a folder artifact. Only objects \
        the remote lacks are sent; each is re-hashed as it is read and written to the remote \
        atomically (a killed push leaves no partial object), chunks before recipes.

        Exit status 12 when a local object is damaged, or when a named PATH needs content the \
        store lacks (without PATH that is a warning); 64 for an unknown remote or PATH, or a \
        remote directory that is missing or not a vouch remote.
        """)

    @Argument(help: "Artifacts to send (everything referenced when omitted).")
    var paths: [String] = []

    @OptionGroup var remote: RemoteOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let report = try context.transfer(
        .push, remote: remote.name, paths: paths, in: workspace)
      try context.finish(report, json: output.json)
    }
  }
}
