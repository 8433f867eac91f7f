import ArgumentParser
import VouchPipeline

extension VouchCommand.Model {
  /// `vouch model tokenize`.
  struct ModelTokenize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "tokenize",
      abstract: "Encodes text with a model folder's tokenizer.json.")

    func run() async throws {
      throw ValidationError("'vouch model tokenize' is not available in this build yet")
    }
  }
}
