import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch init`.
  struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Creates a vouch workspace (.vouch/) in the current git repository or directory.",
      discussion: """
        The workspace is created at the root of the git repository containing the current \
        directory, with a versioned config, objects/, tmp/ and index.sqlite. It adds /.vouch/ to \
        .gitignore. Outside a git repository, pass --no-git to use the current directory. Running \
        it again changes nothing.

        Exit status 64 outside a git repository without --no-git; 1 when an existing store has a \
        layout version this build does not know.
        """)

    @Flag(
      name: .customLong("no-git"),
      help: "Use the current directory even if it is not in a git repository.")
    var noGit = false

    func run() async throws {
      let context = CommandContext()
      let result = try Workspace.initialize(at: context.currentDirectory, requireGit: !noGit)
      let location = result.root.appendingPathComponent(Workspace.storeDirectoryName).path
      if result.created {
        context.print("Initialised an empty vouch workspace in \(location)")
      } else {
        context.print("vouch workspace already initialised in \(location); nothing to do")
      }
    }
  }
}
