import ArgumentParser
import VouchPipeline

extension VouchCommand {
  /// `vouch show`.
  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Shows one artifact or stored object by path or digest.")

    func run() async throws {
      throw ValidationError("'vouch show' is not available in this build yet")
    }
  }
}
