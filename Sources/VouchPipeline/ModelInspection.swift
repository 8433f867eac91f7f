import Foundation
import VouchCore
import VouchModels

/// What `vouch model inspect` reports about a model folder: the configuration fields that
/// matter, parameter counts, and a digest of every tensor and file.
public struct ModelInspection: Codable, Sendable, Equatable {
  /// The `config.json` fields that decide the architecture's shapes, as written there (a
  /// missing field stays `nil`, except `headDim` and `kvHeads`, which default as transformers
  /// does: `hidden / heads` and `heads`).
  public struct Configuration: Codable, Sendable, Equatable {
    /// `architectures[0]` (`Qwen2ForCausalLM`).
    public var architecture: String?
    /// `model_type` (`qwen2`).
    public var modelType: String?
    /// `num_hidden_layers`.
    public var layers: Int?
    /// `hidden_size`.
    public var hidden: Int?
    /// `num_attention_heads`.
    public var heads: Int?
    /// `num_key_value_heads` (default: `heads`).
    public var kvHeads: Int?
    /// `head_dim` (default: `hidden / heads`).
    public var headDim: Int?
    /// `intermediate_size`.
    public var intermediate: Int?
    /// `vocab_size`.
    public var vocab: Int?
    /// `rope_theta`, or `rope_parameters.rope_theta` as newer transformers write it.
    public var ropeTheta: Double?
    /// `tie_word_embeddings`.
    public var tieWordEmbeddings: Bool?
    /// `torch_dtype`, or `dtype` as newer transformers write it.
    public var dtype: String?

    /// Picks the fields out of a parsed `config.json`.
    public init(_ config: JSONNode) {
      architecture = config["architectures"]?.arrayValue?.first?.stringValue
      modelType = config["model_type"]?.stringValue
      layers = config["num_hidden_layers"]?.intValue
      hidden = config["hidden_size"]?.intValue
      heads = config["num_attention_heads"]?.intValue
      kvHeads = config["num_key_value_heads"]?.intValue ?? heads
      if let headDim = config["head_dim"]?.intValue {
        self.headDim = headDim
      } else if let hidden, let heads, heads > 0 {
        headDim = hidden / heads
      }
      intermediate = config["intermediate_size"]?.intValue
      vocab = config["vocab_size"]?.intValue
      ropeTheta =
        config["rope_theta"]?.doubleValue ?? config["rope_parameters"]?["rope_theta"]?.doubleValue
      tieWordEmbeddings = config["tie_word_embeddings"]?.boolValue
      dtype = config["torch_dtype"]?.stringValue ?? config["dtype"]?.stringValue
    }
  }

  /// One tensor: where it is, what it holds, and the SHA-256 of its stored bytes.
  public struct Tensor: Codable, Sendable, Equatable {
    /// The tensor's name.
    public var name: String
    /// The stored dtype (`F32`, `BF16`, `F16`).
    public var dtype: String
    /// The shape, outermost first.
    public var shape: [Int]
    /// Number of elements.
    public var parameters: Int
    /// The safetensors file holding it.
    public var file: String
    /// SHA-256 of its bytes as stored.
    public var digest: Digest
  }

  /// One file of the folder and the SHA-256 of its whole content.
  public struct File: Codable, Sendable, Equatable {
    /// The file name inside the folder.
    public var name: String
    /// Its size in bytes.
    public var bytes: Int
    /// SHA-256 of its content.
    public var digest: Digest
  }

  /// The folder's absolute path.
  public var directory: String
  /// Architecture fields from `config.json`.
  public var configuration: Configuration
  /// Total number of parameters (elements over all tensors).
  public var parameters: Int
  /// Parameters per stored dtype.
  public var dtypes: [String: Int]
  /// Every tensor, sorted by name.
  public var tensors: [Tensor]
  /// The weight files and the JSON files next to them, sorted by name.
  public var files: [File]
}

extension ModelInspection.Configuration {
  /// The `config.json` keys holding sizes, in the order they are checked.
  static let sizeKeys = [
    "num_hidden_layers", "hidden_size", "num_attention_heads", "num_key_value_heads", "head_dim",
    "intermediate_size", "vocab_size", "max_position_embeddings",
  ]

  /// Refuses a size that is present but not a positive integer (`hidden_size: -16`,
  /// `vocab_size: 0`), as loading the model for `generate` or `logits` would.
  /// - Parameters:
  ///   - config: the parsed `config.json`.
  ///   - file: its path, for the message.
  /// - Throws: `ModelError(.malformed)` naming the key and its value.
  public static func validateSizes(of config: JSONNode, file: String) throws {
    for key in sizeKeys {
      guard let node = config[key], !node.isNull else { continue }
      if let value = node.intValue, value > 0 { continue }
      let shown =
        node.intValue.map(String.init) ?? node.doubleValue.map { "\($0)" } ?? "not a number"
      throw ModelError(
        .malformed, "\(file): \(key) is \(shown); a size must be a positive integer")
    }
  }
}
