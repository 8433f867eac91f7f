import ArgumentParser
import VouchPipeline

extension VouchCommand {
  /// `vouch gc`.
  struct GarbageCollect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "gc",
      abstract: "Deletes stored objects that no manifest references.")

    func run() async throws {
      throw ValidationError("'vouch gc' is not available in this build yet")
    }
  }
}
