import ArgumentParser
import VouchPipeline

extension VouchCommand {
  /// `vouch ls`.
  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ls",
      abstract: "Lists the artifacts recorded in the manifests.")

    func run() async throws {
      throw ValidationError("'vouch ls' is not available in this build yet")
    }
  }
}
