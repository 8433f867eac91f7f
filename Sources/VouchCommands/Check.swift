import ArgumentParser
import VouchPipeline

extension VouchCommand {
  /// `vouch check`.
  struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Re-hashes every stored object and recipe and reports what is corrupt or missing.")

    func run() async throws {
      throw ValidationError("'vouch check' is not available in this build yet")
    }
  }
}
