import ArgumentParser
import VouchPipeline

extension VouchCommand.Model {
  /// `vouch model logits`.
  struct ModelLogits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "logits",
      abstract: "Prints the logits of every position for the given token ids.")

    func run() async throws {
      throw ValidationError("'vouch model logits' is not available in this build yet")
    }
  }
}
