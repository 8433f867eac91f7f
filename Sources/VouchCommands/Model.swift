import ArgumentParser

extension VouchCommand {
  /// `vouch model`: inspect and run Hugging Face model folders.
  struct Model: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "model",
      abstract: "Inspects and runs Hugging Face model folders (config.json + *.safetensors).",
      subcommands: [ModelInspect.self, ModelTokenize.self, ModelLogits.self, ModelGenerate.self])
  }
}
