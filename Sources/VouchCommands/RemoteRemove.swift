import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch remote remove`.
  struct RemoteRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove",
      abstract: "Forgets a remote; its directory and objects are left as they are.",
      discussion: "Exit status 64 when no remote has that name.")

    @Argument(help: "The remote's name.")
    var name: String

    func run() async throws {
      let context = CommandContext()
      try context.workspace().removeRemote(name: name)
      context.print("removed remote '\(name)'")
    }
  }
}
