import Foundation

/// The fields of a Hugging Face Qwen2 `config.json` that change what the model computes.
///
/// Decodes both forms transformers writes: the older top-level `rope_theta`, and the newer
/// `rope_parameters: {"rope_type": "default", "rope_theta": …}`. `head_dim` is optional
/// (`hidden_size / num_attention_heads` when absent); `num_key_value_heads` defaults to
/// `num_attention_heads`; `tie_word_embeddings` defaults to `false` (Qwen2's default).
/// Reference: METHOD.md §1.1, transformers `configuration_qwen2.py`.
public struct Qwen2Configuration: Codable, Sendable, Hashable {
  /// Width of the residual stream, `d`.
  public var hiddenSize: Int
  /// Width of the MLP, `d_ff`.
  public var intermediateSize: Int
  /// Number of decoder layers, `L`.
  public var layerCount: Int
  /// Query heads, `n_h`.
  public var attentionHeads: Int
  /// Key/value heads, `n_kv` (divides `attentionHeads`).
  public var keyValueHeads: Int
  /// Dimensions per head, `d_h`.
  public var headDimension: Int
  /// Vocabulary size, `V`.
  public var vocabularySize: Int
  /// RMSNorm ε.
  public var rmsNormEpsilon: Double
  /// RoPE base θ.
  public var ropeTheta: Double
  /// Whether the unembedding reuses the embedding matrix (no `lm_head.weight` is stored).
  public var tieWordEmbeddings: Bool
  /// Longest sequence the checkpoint was trained for; bounds prompt plus generated tokens
  /// (``positionLimit``).
  public var maxPositionEmbeddings: Int?
  /// Beginning-of-sequence token id, if the config names one.
  public var bosTokenID: Int?
  /// End-of-sequence token ids (a single id or a list in `config.json`).
  public var eosTokenIDs: [Int]

  /// A configuration from its fields (for generated models and tests).
  public init(
    hiddenSize: Int, intermediateSize: Int, layerCount: Int, attentionHeads: Int,
    keyValueHeads: Int, headDimension: Int? = nil, vocabularySize: Int,
    rmsNormEpsilon: Double = 1e-6, ropeTheta: Double = 10_000, tieWordEmbeddings: Bool = false,
    maxPositionEmbeddings: Int? = nil, bosTokenID: Int? = nil, eosTokenIDs: [Int] = []
  ) {
    self.hiddenSize = hiddenSize
    self.intermediateSize = intermediateSize
    self.layerCount = layerCount
    self.attentionHeads = attentionHeads
    self.keyValueHeads = keyValueHeads
    self.headDimension = headDimension ?? hiddenSize / max(1, attentionHeads)
    self.vocabularySize = vocabularySize
    self.rmsNormEpsilon = rmsNormEpsilon
    self.ropeTheta = ropeTheta
    self.tieWordEmbeddings = tieWordEmbeddings
    self.maxPositionEmbeddings = maxPositionEmbeddings
    self.bosTokenID = bosTokenID
    self.eosTokenIDs = eosTokenIDs
  }

  /// Reads and validates `config.json`.
  /// - Throws: `ModelError` naming the file when it is unreadable, not a Qwen2 config, or
  ///   inconsistent.
  public init(contentsOf url: URL) throws {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw ModelError(
        .missing,
        "\(url.path): cannot read the model configuration; "
          + "a Hugging Face model folder needs a config.json")
    }
    do {
      self = try JSONDecoder().decode(Qwen2Configuration.self, from: data)
    } catch let error as ModelError {
      throw ModelError(error.code, "\(url.path): \(error.message)")
    } catch let DecodingError.keyNotFound(key, _) {
      throw ModelError(
        .missing,
        "\(url.path): missing key '\(key.stringValue)'; "
          + "is this a Qwen2 config.json?")
    } catch let DecodingError.typeMismatch(_, context) {
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      throw ModelError(.malformed, "\(url.path): '\(path)' has the wrong type")
    } catch {
      throw ModelError(.malformed, "\(url.path): not a valid config.json (\(error))")
    }
  }

  /// transformers' `Qwen2Config` default for `max_position_embeddings`, used when it is absent.
  public static let defaultMaxPositionEmbeddings = 32_768

  /// The most positions a sequence (prompt plus generated tokens) may use:
  /// `max_position_embeddings`, or ``defaultMaxPositionEmbeddings`` when the config omits it.
  public var positionLimit: Int { maxPositionEmbeddings ?? Self.defaultMaxPositionEmbeddings }

  /// Parameters the model holds (embedding, layers, final norm, and `lm_head` when untied).
  public var parameterCount: Int {
    let (d, q, kv) = (hiddenSize, attentionHeads * headDimension, keyValueHeads * headDimension)
    let attention = d * q + q + 2 * (d * kv + kv) + q * d
    let perLayer = attention + 3 * d * intermediateSize + 2 * d
    return vocabularySize * d * (tieWordEmbeddings ? 1 : 2) + layerCount * perLayer + d
  }

  /// Checks the shape invariants the forward relies on.
  /// - Throws: `ModelError(.malformed)` naming the offending field.
  public func validate() throws {
    func require(_ condition: Bool, _ message: String) throws {
      if !condition { throw ModelError(.malformed, message) }
    }
    try require(
      hiddenSize > 0 && intermediateSize > 0 && layerCount > 0 && vocabularySize > 0,
      "hidden_size, intermediate_size, num_hidden_layers and vocab_size must be positive")
    try require(
      attentionHeads > 0 && keyValueHeads > 0 && attentionHeads % keyValueHeads == 0,
      "num_attention_heads (\(attentionHeads)) must be a positive multiple of "
        + "num_key_value_heads (\(keyValueHeads))")
    try require(
      headDimension > 0 && headDimension % 2 == 0,
      "head_dim (\(headDimension)) must be positive and even for rotary embeddings")
    try require(rmsNormEpsilon > 0 && ropeTheta > 0, "rms_norm_eps and rope_theta must be positive")
    try require(
      (maxPositionEmbeddings ?? 1) > 0,
      "max_position_embeddings (\(maxPositionEmbeddings ?? 0)) must be positive")
  }
}
