import ArgumentParser
import VouchPipeline

extension VouchCommand.Model {
  /// `vouch model inspect`.
  struct ModelInspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "inspect",
      abstract: "Prints a model folder's configuration, parameter count, dtypes and per-tensor digests.")

    func run() async throws {
      throw ValidationError("'vouch model inspect' is not available in this build yet")
    }
  }
}
