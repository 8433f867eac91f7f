import ArgumentParser
import VouchPipeline

extension VouchCommand {
  /// `vouch init`.
  struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Creates a vouch workspace (.vouch/) in the current git repository or directory.")

    func run() async throws {
      throw ValidationError("'vouch init' is not available in this build yet")
    }
  }
}
