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
        artifact, a folder holding artifacts or a file inside a folder artifact. Objects the \
        remote lacks are sent; each is re-hashed as it is read and written to the remote \
        atomically (a killed push leaves no partial object), chunks before recipes.

        Objects the remote already holds are checked too: every one by size, every recipe by \
        decoding it, and a random sample of the others by re-hashing (1/16 of the bytes the \
        push finds there, at least 4 MiB, at most 64 MiB); --verify-remote re-hashes all of \
        them. A \
        damaged one is replaced atomically with the verified local bytes and reported as \
        healed. A push also removes what killed pushes left in the remote's tmp/.

        Exit status 12 when a local object is damaged, or when a named PATH needs content the \
        store lacks (without PATH that is a warning); 64 for an unknown remote or PATH, or a \
        remote directory that is missing or not a vouch remote; 11 when a `vouch remote gc` \
        keeps the remote locked past VOUCH_LOCK_TIMEOUT.
        """)

    @Argument(help: "Artifacts to send (everything referenced when omitted).")
    var paths: [String] = []

    @Flag(
      name: .customLong("verify-remote"),
      help: "Re-hash every object the remote already holds, not a sample, and heal damaged ones.")
    var verifyRemote = false

    @OptionGroup var remote: RemoteOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let report = try context.transfer(
        .push, remote: remote.name, paths: paths, verifyRemote: verifyRemote, in: workspace)
      try context.finish(report, json: output.json)
    }
  }
}
