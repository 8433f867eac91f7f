import Foundation
import VouchEngine
import VouchModels

/// Runs a Hugging Face Qwen2 model folder: the logits of given ids, or a continuation of a prompt.
///
/// The thin `vouch model logits` and `vouch model generate` commands hand their work here.
public struct ModelRunner: Sendable {
  /// The model folder.
  public let folder: ModelFolder
  /// The model (weights stay in their mapping unless `residency` is `.resident`).
  public let model: Qwen2Model
  /// Profile and threads of every forward.
  public let context: ComputeContext

  /// Models whose Float32 weights fit in this many bytes are kept resident when the caller does
  /// not choose: generation then widens each weight once instead of once per token.
  public static let automaticResidentLimit = 2 << 30

  /// Opens the folder's config.json and safetensors strictly.
  /// - Parameters:
  ///   - folder: the model folder.
  ///   - context: profile and threads of every forward.
  ///   - residency: where Float32 weights live; `nil` picks `.resident` for models up to
  ///     ``automaticResidentLimit`` bytes of Float32 weights and `.streamed` above.
  /// - Throws: `ModelError` naming the file or tensor that is missing, malformed or unexpected.
  public init(
    folder: ModelFolder, context: ComputeContext, residency: Qwen2Model.Residency? = nil
  ) throws {
    self.folder = folder
    self.context = context
    let chosen: Qwen2Model.Residency
    if let residency {
      chosen = residency
    } else {
      let configuration = try Qwen2Configuration(
        contentsOf: folder.directory.appendingPathComponent("config.json"))
      let bytes = configuration.parameterCount * MemoryLayout<Float>.size
      chosen = bytes <= ModelRunner.automaticResidentLimit ? .resident : .streamed
    }
    model = try Qwen2Model(directory: folder.directory, residency: chosen)
  }

  /// The engine fingerprint of this runner's forwards.
  public var fingerprint: EngineFingerprint { EngineFingerprint(context: context) }

  /// The logits of every position of `ids` (one full forward from position 0).
  /// - Throws: `ModelError` for an empty list or an id outside the vocabulary.
  public func logits(ids: [Int]) throws -> LogitsReport {
    guard !ids.isEmpty else {
      throw ModelError(.missing, "no token ids given; pass --ids 3,17,42")
    }
    let limit = model.configuration.positionLimit
    guard ids.count <= limit else {
      throw ModelError(
        .mismatch,
        "--ids has \(ids.count) tokens, more than the model's max_position_embeddings \(limit); "
          + "pass at most \(limit)")
    }
    let logits = try model.forward(ids, context: context).logits
    let vocabulary = model.configuration.vocabularySize
    let values = logits.scalars
    let rows = (0..<ids.count).map { Array(values[($0 * vocabulary)..<(($0 + 1) * vocabulary)]) }
    return LogitsReport(ids: ids, vocabularySize: vocabulary, logits: rows, engine: fingerprint)
  }

  /// Continues `promptIDs` and decodes the new tokens with `tokenizer` when one is given.
  ///
  /// The prompt plus `parameters.maxNewTokens` must fit in the model's `max_position_embeddings`
  /// (``VouchModels/Qwen2Configuration/positionLimit``).
  /// - Throws: `ModelError` for an empty prompt, a prompt or budget beyond the position limit, an
  ///   id outside the vocabulary, or unreadable weights.
  public func generate(
    promptIDs: [Int], parameters: GenerationParameters, tokenizer: Tokenizer?
  ) throws -> GenerationReport {
    try checkPositionBudget(promptLength: promptIDs.count, maxNewTokens: parameters.maxNewTokens)
    let started = ContinuousClock.now
    let generated = try model.generate(prompt: promptIDs, parameters: parameters, context: context)
    let elapsed = ContinuousClock.now - started
    let text = try tokenizer?.decode(generated)
    let seconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return GenerationReport(
      promptIDs: promptIDs, generatedIDs: generated, text: text, parameters: parameters,
      seconds: seconds, engine: fingerprint)
  }
}

extension ModelRunner {
  /// Refuses a prompt longer than the model's position limit, or a token budget that would run
  /// past it (the forward has no positions beyond `max_position_embeddings`).
  /// - Throws: `ModelError(.mismatch)` naming both numbers and the largest budget that fits.
  public func checkPositionBudget(promptLength: Int, maxNewTokens: Int) throws {
    let limit = model.configuration.positionLimit
    guard promptLength <= limit else {
      throw ModelError(
        .mismatch,
        "the prompt has \(promptLength) tokens, more than the model's max_position_embeddings "
          + "\(limit); shorten it")
    }
    let left = limit - promptLength
    guard maxNewTokens <= left else {
      throw ModelError(
        .mismatch,
        "--max-tokens \(maxNewTokens) does not fit: the model's max_position_embeddings is "
          + "\(limit) and the prompt takes \(promptLength); pass --max-tokens \(left) or less")
    }
  }
}

/// What `vouch model logits` prints.
public struct LogitsReport: Codable, Sendable {
  /// The input token ids.
  public let ids: [Int]
  /// `V`.
  public let vocabularySize: Int
  /// `[tokens][V]`.
  public let logits: [[Float]]
  /// The engine that computed them.
  public let engine: EngineFingerprint
}

/// What `vouch model generate` prints.
public struct GenerationReport: Codable, Sendable {
  /// The prompt's token ids.
  public let promptIDs: [Int]
  /// The new token ids.
  public let generatedIDs: [Int]
  /// The new tokens decoded, when the folder has a tokenizer.
  public let text: String?
  /// Budget, temperature, seed and stop tokens.
  public let parameters: GenerationParameters
  /// Wall time of the generation.
  public let seconds: Double
  /// The engine that computed it.
  public let engine: EngineFingerprint
}
