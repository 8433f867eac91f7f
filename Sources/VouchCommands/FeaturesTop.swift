import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand.Features {
  /// `vouch features top --by density|region|logit [KEY]`.
  struct FeaturesTop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "top",
      abstract:
        "Lists the features that rank highest by density, a region's density or a token's logit.",
      discussion: """
        --by density ranks by activation frequency over all tokens; --by region REGION by the \
        density within REGION (bos, user_marker, question, assistant_marker, think_start, \
        thinking, thinking_0 … thinking_9, think_end, answer); --by logit TOKEN by the \
        logit-lens score of TOKEN in W_U·d_i (write a newline as \\n). Ties go to the lower \
        layer, then index. Exit status 64 for an unknown region or token and for a folder \
        without labels.
        """)

    @Option(
      name: .long,
      help: ArgumentHelp("What to rank by: density, region or logit.", valueName: "kind"))
    var by: String

    @Argument(
      help: ArgumentHelp("The region (--by region) or token (--by logit).", valueName: "key"))
    var key: String?

    @Option(name: .long, help: "How many features to list.")
    var limit = 20

    @OptionGroup var source: FeatureLabelOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
      guard ["density", "region", "logit"].contains(by) else {
        throw ValidationError("--by must be density, region or logit, not '\(by)'")
      }
      guard limit >= 1 else { throw ValidationError("--limit must be at least 1, not \(limit)") }
    }

    func run() async throws {
      let context = CommandContext()
      let labels = try source.load(context)
      let ranked = labels.top(try labels.ranking(by: by, key: key), limit: limit)
      if output.json { return try context.printJSON(ranked) }
      let heading = key.map { "\(by) \(FeaturesShow.visible($0))" } ?? by
      context.print("feature   \(FeaturesShow.pad(heading, 12)) label")
      for entry in ranked {
        let mechanism = entry.mechanism.map { " (\($0))" } ?? ""
        context.print(
          "\(FeaturesShow.pad("\(entry.layer):\(entry.index)", 9)) "
            + "\(FeaturesShow.pad(FeaturesShow.number(entry.value), 12)) "
            + "\(entry.category ?? "dead")\(mechanism)")
      }
    }
  }
}
