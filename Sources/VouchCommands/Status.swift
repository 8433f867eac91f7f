import ArgumentParser
import VouchPipeline

extension VouchCommand {
  /// `vouch status`.
  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Shows what changed in the workspace compared with the manifests.")

    func run() async throws {
      throw ValidationError("'vouch status' is not available in this build yet")
    }
  }
}
