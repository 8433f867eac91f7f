import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch remote add`.
  struct RemoteAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Registers a directory as a remote, creating the remote there if it is empty.",
      discussion: """
        DIRECTORY may be missing or empty (a new remote is created there) or an existing vouch \
        remote. A directory inside the workspace is recorded relative to its root.

        Exit status 64 for a taken or invalid name, or a directory holding other files.
        """)

    @Argument(help: "The remote's name (letters, digits, '-' and '_').")
    var name: String

    @Argument(help: "The remote's directory (created when missing).")
    var directory: String

    @Flag(name: .customLong("default"), help: "Make it the default remote.")
    var makeDefault = false

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let recorded = try workspace.addRemote(
        name: name, directory: directory, currentDirectory: context.currentDirectory,
        makeDefault: makeDefault)
      context.print(
        "added remote '\(name)' at \(recorded)\(makeDefault ? " (default)" : "");"
          + " commit manifests/remotes.toml to share it")
    }
  }
}
