import ArgumentParser
import Foundation
import VouchModels
import VouchPipeline

extension VouchCommand {
  /// `vouch attribute`.
  struct Attribute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Builds a RelP attribution graph of a prompt through a replacement model.",
      discussion: """
        MODEL is R's model folder, ADAPTERS an adapter-train output folder \
        (adapters.safetensors), --base B's model folder. The replacement model (R with B's \
        MLPs and the adapters) runs its normal forward on the prompt; a RelP-linearised \
        backward (frozen norms and attention patterns, SiLU identity and half rules, features \
        as leaves; METHOD.md §6.4) gives the direct effect of every active feature and token \
        on the target: the most probable next tokens (--target logit), one token's logit \
        (logit:ID) or one feature (L:P:I = layer, position, index). The graph is pruned \
        (node and edge thresholds) and written as circuit-tracer frontend JSON (--out) and \
        Graphviz DOT (--dot); both are byte-identical for the same inputs.

        The prompt is encoded with the organism vocabulary when R's vocabulary is the \
        organism's, else with MODEL/tokenizer.json; BOS is prepended unless present.

        EXIT STATUS
          0   the graph was built (and written)
          1   a file could not be written
          64  bad input: unreadable or mismatched folders, adapters that do not fit the \
        model, an empty or too long prompt, a feature outside the model or not active; \
        nothing is written
        """)

    @Argument(help: "R's model folder (config.json, *.safetensors, optional tokenizer.json).")
    var model: String

    @Argument(help: "An adapter-train output folder holding adapters.safetensors.")
    var adapters: String

    @Option(help: "B's model folder (its MLPs replace R's).")
    var base: String

    @Option(help: "The prompt text; the graph explains the prediction after its last token.")
    var prompt: String

    @Option(help: "'logit' (top next tokens), 'logit:ID' (one token) or a feature 'L:P:I'.")
    var target: String = "logit"

    @Option(parsing: .unconditional, help: "Most feature nodes, chosen by estimated influence.")
    var maxFeatureNodes: Int = 10_000

    @Option(parsing: .unconditional, help: "Share of node influence pruning keeps (0…1).")
    var nodeThreshold: Double = 0.8

    @Option(parsing: .unconditional, help: "Share of edge score pruning keeps (0…1).")
    var edgeThreshold: Double = 0.98

    @Option(help: "Write the graph as circuit-tracer frontend JSON to this file.")
    var out: String?

    @Option(help: "Write the graph as Graphviz DOT to this file.")
    var dot: String?

    @OptionGroup var compute: ComputeOptions

    @Flag(help: "Print the graph's summary as JSON.")
    var json = false

    func validate() throws {
      _ = try parsedTarget()
      guard maxFeatureNodes >= 0 else { throw ValidationError("--max-feature-nodes must be ≥ 0") }
      for (name, value) in [
        ("--node-threshold", nodeThreshold), ("--edge-threshold", edgeThreshold),
      ]
      where !(0...1).contains(value) {
        throw ValidationError("\(name) must be between 0 and 1")
      }
    }

    /// `--target` as an attribution target.
    func parsedTarget() throws -> AttributionTarget {
      if target == "logit" { return .logits }
      if target.hasPrefix("logit:"), let token = Int(target.dropFirst(6)), token >= 0 {
        return .logit(token: token)
      }
      let text = target.hasPrefix("feature:") ? String(target.dropFirst(8)) : target
      guard let address = FeatureAddress(parsing: text) else {
        throw ValidationError(
          "--target must be 'logit', 'logit:ID' or a feature 'L:P:I' (e.g. 2:7:13), not '\(target)'"
        )
      }
      return .feature(address)
    }

    func run() async throws {
      compute.warnIfExactIsUnpinned()
      let runner = try AttributionRunner(
        model: URL(fileURLWithPath: model), adapters: URL(fileURLWithPath: adapters),
        base: URL(fileURLWithPath: base), context: compute.context)
      var settings = AttributionSettings()
      settings.maxFeatureNodes = maxFeatureNodes
      settings.nodeThreshold = nodeThreshold
      settings.edgeThreshold = edgeThreshold
      let ids = try runner.encode(prompt)
      let slug = URL(fileURLWithPath: out ?? "attribution.json").deletingPathExtension()
        .lastPathComponent
      let result = try runner.attribute(
        ids: ids, target: try parsedTarget(), settings: settings, slug: slug)
      do {
        if let out { try result.json.write(to: URL(fileURLWithPath: out), options: .atomic) }
        if let dot { try result.dot.write(to: URL(fileURLWithPath: dot), options: .atomic) }
      } catch {
        throw PipelineError.failure("cannot write the graph: \(error.localizedDescription)")
      }
      let s = result.summary
      if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        print(String(decoding: try encoder.encode(s), as: UTF8.self))
        return
      }
      print(
        "\(s.tokens) tokens, targets \(s.targets.joined(separator: ", ")); "
          + "\(s.featureNodes) of \(s.activeFeatures) active features attributed; kept "
          + "\(s.nodesKept) nodes and \(s.edgesKept) edges; completeness error "
          + String(format: "%.2e", s.completenessError))
      for feature in s.topFeatures.prefix(5) {
        print("  \(feature.layer):\(feature.position):\(feature.index)\t\(feature.weight)")
      }
    }
  }
}
