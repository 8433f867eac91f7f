import ArgumentParser
import VouchPipeline

extension VouchCommand {
  /// `vouch checkout`.
  struct Checkout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "checkout",
      abstract: "Materialises artifacts from the store into the workspace, verifying digests.")

    func run() async throws {
      throw ValidationError("'vouch checkout' is not available in this build yet")
    }
  }
}
