import ArgumentParser
import VouchPipeline

extension VouchCommand.Model {
  /// `vouch model generate`.
  struct ModelGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "generate",
      abstract: "Generates text from a prompt, greedily or with seeded sampling.")

    func run() async throws {
      throw ValidationError("'vouch model generate' is not available in this build yet")
    }
  }
}
