import ArgumentParser
import VouchPipeline

extension VouchCommand {
  /// `vouch add`.
  struct Add: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Stores files or directories and records them as artifacts under manifests/.")

    func run() async throws {
      throw ValidationError("'vouch add' is not available in this build yet")
    }
  }
}
