import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch features`: browse the feature labels an `adapter-features` stage wrote.
  struct Features: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "features",
      abstract: "Shows and ranks adapter features from an adapter-features labels folder.",
      subcommands: [FeaturesShow.self, FeaturesTop.self])
  }
}

/// `--labels`, shared by the `vouch features` subcommands.
struct FeatureLabelOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The adapter-features output folder (features.jsonl + summary.json).",
      discussion: "Default: \(FeatureLabels.defaultPath) at the workspace root.",
      valueName: "path"))
  var labels: String?

  /// Reads the labels: `--labels` relative to the current directory, else the default folder
  /// relative to the workspace root (or the current directory outside a workspace).
  /// - Throws: `PipelineError.usage` when the folder holds no readable labels.
  func load(_ context: CommandContext) throws -> FeatureLabels {
    try FeatureLabels.read(path: labels, currentDirectory: context.currentDirectory)
  }
}
