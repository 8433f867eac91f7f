import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand.Features {
  /// `vouch features show LAYER:INDEX`.
  struct FeaturesShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Shows one feature's statistics, label, logit lens and examples.",
      discussion: """
        FEATURE is LAYER:INDEX, for example 1:37. Exit status 64 for a malformed or out-of-range \
        feature and for a folder without labels.
        """)

    @Argument(help: ArgumentHelp("The feature, as LAYER:INDEX.", valueName: "feature"))
    var feature: String

    @OptionGroup var source: FeatureLabelOptions
    @OptionGroup var output: OutputOptions

    /// The parsed `LAYER:INDEX`.
    var address: (layer: Int, index: Int)? {
      let parts = feature.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count == 2, let layer = Int(parts[0]), let index = Int(parts[1]),
        layer >= 0, index >= 0
      else { return nil }
      return (layer, index)
    }

    func validate() throws {
      if address == nil {
        throw ValidationError(
          "'\(feature)' is not LAYER:INDEX; write the layer and the feature index, e.g. 1:37")
      }
    }

    func run() async throws {
      let context = CommandContext()
      let labels = try source.load(context)
      guard let address else { return }
      let label = try labels.label(layer: address.layer, index: address.index)
      if output.json { return try context.printJSON(label) }
      for line in Self.render(label) { context.print(line) }
    }

    /// The readable report of `label`.
    static func render(_ label: FeatureLabel) -> [String] {
      var lines = ["feature    \(label.address)"]
      let mechanism = label.mechanism.map { " (\($0))" } ?? ""
      let category = label.category.map { "\($0)\(mechanism), rule \(label.rule ?? "?")" }
      lines.append("label      \(category ?? "dead (never active)")")
      lines.append("count      \(label.count) (frequency \(number(label.frequency)))")
      lines.append("regions    density (count)")
      for region in FeatureLabel.regionNames {
        let density = label.regionDensities[region] ?? 0
        let count = label.regionCounts[region] ?? 0
        lines.append("  \(pad(region, 17)) \(number(density)) (\(count))")
      }
      func lens(_ tokens: [FeatureLabel.LensToken]) -> String {
        tokens.map { "\(visible($0.token)) \(number($0.score))" }.joined(separator: ", ")
      }
      lines.append("logit lens")
      lines.append("  top      \(lens(label.logitLens.top))")
      lines.append("  bottom   \(lens(label.logitLens.bottom))")
      for (title, examples) in [
        ("top examples", label.topExamples), ("random examples", label.randomExamples),
      ] {
        lines.append("\(title) (\(examples.count))")
        for example in examples {
          lines.append(
            "  \(number(Double(example.activation)))  \(example.sequence):\(example.position) "
              + "\(pad(example.region, 12)) \(visible(example.before))[\(visible(example.token))]"
              + visible(example.after))
        }
      }
      return lines
    }

    /// `text` with newlines shown as `\n` so each example stays on one line.
    static func visible(_ text: String) -> String {
      text.replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A number with 4 significant digits.
    static func number(_ value: Double) -> String { String(format: "%.4g", value) }

    static func pad(_ text: String, _ width: Int) -> String {
      text + String(repeating: " ", count: max(0, width - text.count))
    }
  }
}
