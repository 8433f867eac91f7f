import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand.Model {
  /// `vouch model logits`.
  struct ModelLogits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "logits",
      abstract: "Prints the logits of every position for the given token ids.",
      discussion:
        "Runs one forward pass from position 0 over --ids and prints, per position, the "
        + "logits over the whole vocabulary (with --json) or a summary (argmax and the "
        + "first values). Use it to check a model against another implementation, e.g. "
        + "transformers.")

    @Argument(help: "A Hugging Face model folder (config.json and *.safetensors).")
    var directory: String

    @Option(parsing: .unconditional, help: "Comma-separated token ids, e.g. 3,17,42.")
    var ids: String

    @OptionGroup var compute: ComputeOptions

    @Flag(help: "Print the full logits and the engine fingerprint as JSON.")
    var json = false

    func validate() throws {
      _ = try parseTokenIDs(ids, option: "--ids")
    }

    func run() async throws {
      let tokenIDs = try parseTokenIDs(ids, option: "--ids")
      compute.warnIfExactIsUnpinned()
      let runner = try ModelRunner(
        folder: ModelFolder(path: directory), context: compute.context,
        residency: compute.weights.residency)
      let report = try runner.logits(ids: tokenIDs)
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
        return
      }
      for (position, row) in report.logits.enumerated() {
        let best = row.indices.max { row[$0] < row[$1] } ?? 0
        let head = row.prefix(6).map { String(format: "%.5f", $0) }.joined(separator: " ")
        print("\(position)\tid \(report.ids[position])\targmax \(best) (\(row[best]))\t\(head) …")
      }
    }
  }
}
