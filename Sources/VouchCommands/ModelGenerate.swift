import ArgumentParser
import Foundation
import VouchModels
import VouchPipeline

extension VouchCommand.Model {
  /// `vouch model generate`.
  struct ModelGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "generate",
      abstract: "Generates text from a prompt, greedily or with seeded sampling.",
      discussion:
        "Temperature 0 (the default) is greedy decoding. A positive temperature samples "
        + "from the 'sampling' random stream of --seed: the same seed, model and profile "
        + "give the same tokens.")

    @Argument(help: "A Hugging Face model folder (config.json, tokenizer.json, *.safetensors).")
    var directory: String

    @Option(help: "The prompt text (encoded with the folder's tokenizer.json).")
    var prompt: String?

    // Numeric options parse `.unconditional`ly, so `--max-tokens -1` reaches `validate()` and gets
    // its range message instead of ArgumentParser's "Missing value" (it reads `-1` as an option).
    @Option(
      parsing: .unconditional, help: "The prompt as comma-separated token ids instead of text.")
    var ids: String?

    @Option(
      parsing: .unconditional,
      help: "Most new tokens to generate (at most max_position_embeddings minus the prompt).")
    var maxTokens: Int = 32

    @Option(parsing: .unconditional, help: "Sampling temperature; 0 means greedy.")
    var temperature: Double = 0

    @Option(parsing: .unconditional, help: "Seed of the sampling random stream.")
    var seed: UInt64 = 0

    @Option(
      parsing: .unconditional,
      help: "Comma-separated ids that end generation (default: the config's eos_token_id).")
    var stop: String?

    @OptionGroup var compute: ComputeOptions

    @Flag(help: "Print ids, text, timing and the engine fingerprint as JSON.")
    var json = false

    func validate() throws {
      guard (prompt == nil) != (ids == nil) else {
        throw ValidationError("pass exactly one of --prompt TEXT or --ids 3,17,42")
      }
      guard maxTokens >= 0 else { throw ValidationError("--max-tokens must be ≥ 0") }
      guard temperature >= 0 && temperature.isFinite else {
        throw ValidationError("--temperature must be a finite number ≥ 0")
      }
      // Checked here too, so a typo is reported before the weights are loaded.
      _ = try ids.map { try parseTokenIDs($0, option: "--ids") }
      _ = try stop.map { try parseTokenIDs($0, option: "--stop") }
    }

    func run() async throws {
      compute.warnIfExactIsUnpinned()
      let runner = try ModelRunner(
        folder: ModelFolder(path: directory), context: compute.context,
        residency: compute.weights.residency)
      let tokenizer: Tokenizer? = prompt == nil ? nil : try runner.folder.tokenizer()
      let promptIDs: [Int]
      if let prompt, let tokenizer {
        promptIDs = tokenizer.encode(prompt)
      } else {
        promptIDs = try parseTokenIDs(ids ?? "", option: "--ids")
      }
      let stopTokens =
        try stop.map { try parseTokenIDs($0, option: "--stop") }
        ?? runner.model.configuration.eosTokenIDs
      let parameters = GenerationParameters(
        maxNewTokens: maxTokens, temperature: temperature, seed: seed,
        stopTokens: Set(stopTokens))
      let report = try runner.generate(
        promptIDs: promptIDs, parameters: parameters, tokenizer: tokenizer)
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
      } else if let text = report.text {
        print(text)
      } else {
        print(report.generatedIDs.map(String.init).joined(separator: ","))
      }
    }
  }
}
