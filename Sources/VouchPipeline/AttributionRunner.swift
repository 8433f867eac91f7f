import Foundation
import VouchEngine
import VouchModels

/// RelP attribution graphs of a replacement model built from three folders (METHOD.md §6.4):
/// what `vouch attribute` and the `attribute` stage run.
///
/// R's model folder gives embeddings, attention, norms and head (and the tokenizer), B's folder
/// the MLPs, an `adapter-train` output folder the adapters (`adapters.safetensors`).
public struct AttributionRunner: Sendable {
  /// The replacement model.
  public let model: ReplacementModel<Float>
  /// Profile and threads.
  public let context: ComputeContext
  /// R's folder tokenizer, or `nil` for the organism vocabulary.
  let tokenizer: Tokenizer?

  /// Loads R, B and the adapters strictly.
  /// - Throws: `ModelError` (exit 64) naming the folder or tensor that is missing, malformed or
  ///   does not fit (adapters of another width or layer count, B of another architecture).
  public init(model: URL, adapters: URL, base: URL, context: ComputeContext) throws {
    let target = try Self.parameters(model)
    let baseParameters = try Self.parameters(base)
    let checkpoint = adapters.appendingPathComponent("adapters.safetensors")
    guard FileManager.default.fileExists(atPath: checkpoint.path) else {
      throw ModelError(
        .missing,
        "\(adapters.path): no adapters.safetensors; point ADAPTERS at an adapter-train output "
          + "folder")
    }
    let c = target.configuration
    let loaded = try TranscoderAdapter<Float>.load(
      from: try SafetensorsFile(url: checkpoint), layerCount: c.layerCount,
      hiddenSize: c.hiddenSize)
    self.model = try ReplacementModel(target: target, base: baseParameters, adapters: loaded)
    self.context = context
    let tokenizerURL = model.appendingPathComponent("tokenizer.json")
    tokenizer =
      c.vocabularySize != OrganismVocabulary.size
        && FileManager.default.fileExists(atPath: tokenizerURL.path)
      ? try Tokenizer(contentsOf: tokenizerURL) : nil
  }

  /// The parameters of a model folder.
  static func parameters(_ folder: URL) throws -> Qwen2Parameters<Float> {
    let configuration = try Qwen2Configuration(
      contentsOf: folder.appendingPathComponent("config.json"))
    return try Qwen2Parameters(
      source: try SafetensorsFolder(directory: folder), configuration: configuration)
  }

  /// `prompt` as token ids: the organism vocabulary (longest match) when R's vocabulary is the
  /// organism's, else R's `tokenizer.json`; BOS prepended unless the text starts with it.
  /// - Throws: `ModelError(.mismatch)` for an empty prompt, text outside the vocabulary, or a
  ///   prompt longer than `max_position_embeddings`.
  public func encode(_ prompt: String) throws -> [Int] {
    guard !prompt.isEmpty else {
      throw ModelError(.mismatch, "the prompt is empty; pass --prompt with some text")
    }
    var ids: [Int]
    let bos: Int?
    if let tokenizer {
      ids = tokenizer.encode(prompt)
      bos = model.configuration.bosTokenID
    } else {
      guard let encoded = OrganismVocabulary.encode(prompt) else {
        throw ModelError(
          .mismatch,
          "the prompt has text outside the organism vocabulary; use digits, + - * = ( ), "
            + "spaces, newlines, the words \(OrganismVocabulary.words) and the special tokens")
      }
      ids = encoded
      bos = OrganismVocabulary.bos
    }
    if let bos, ids.first != bos { ids.insert(bos, at: 0) }
    let limit = model.configuration.positionLimit
    guard ids.count <= limit else {
      throw ModelError(
        .mismatch,
        "the prompt has \(ids.count) tokens, more than the model's max_position_embeddings "
          + "\(limit); shorten it")
    }
    return ids
  }

  /// The text of one token id (for graph labels).
  public func tokenText(_ id: Int) -> String {
    if let tokenizer { return tokenizer.tokens(for: [id]).first ?? "\(id)" }
    return OrganismVocabulary.decode([id]) ?? "\(id)"
  }

  /// Attributes `target` on `ids`, prunes, and renders the files.
  /// - Throws: `ModelError(.mismatch)` for a prompt or target the model cannot take.
  public func attribute(
    ids: [Int], target: AttributionTarget, settings: AttributionSettings, slug: String
  ) throws -> AttributionResult {
    let started = ContinuousClock.now
    let attributor = try Attributor(model: model, ids: ids, context: context)
    let graph = try attributor.graph(target: target, settings: settings)
    let pruning = AttributionPruning(
      graph, nodeThreshold: settings.nodeThreshold, edgeThreshold: settings.edgeThreshold)
    let elapsed = ContinuousClock.now - started
    let json = graph.circuitTracerJSON(
      pruning: pruning, slug: slug, layerCount: model.layerCount,
      nodeThreshold: settings.nodeThreshold, tokenText: tokenText)
    let dot = graph.dot(pruning: pruning, tokenText: tokenText)
    let summary = AttributionSummary(
      graph: graph, pruning: pruning, prompt: ids.map(tokenText).joined(),
      seconds: Double(elapsed.components.seconds)
        + Double(elapsed.components.attoseconds) * 1e-18)
    return AttributionResult(graph: graph, pruning: pruning, summary: summary, json: json, dot: dot)
  }
}

/// One attribution: the graph, its pruning, a summary and the rendered files.
public struct AttributionResult: Sendable {
  /// The unpruned graph.
  public let graph: AttributionGraph
  /// What pruning kept.
  public let pruning: AttributionPruning
  /// The numbers `--json` prints and the stage records.
  public let summary: AttributionSummary
  /// circuit-tracer's frontend JSON.
  public let json: Data
  /// Graphviz DOT.
  public let dot: Data
}
