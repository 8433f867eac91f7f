import Foundation

extension Qwen2Configuration {
  enum CodingKeys: String, CodingKey {
    case modelType = "model_type"
    case hiddenSize = "hidden_size"
    case intermediateSize = "intermediate_size"
    case layerCount = "num_hidden_layers"
    case attentionHeads = "num_attention_heads"
    case keyValueHeads = "num_key_value_heads"
    case headDimension = "head_dim"
    case vocabularySize = "vocab_size"
    case rmsNormEpsilon = "rms_norm_eps"
    case ropeTheta = "rope_theta"
    case ropeParameters = "rope_parameters"
    case ropeScaling = "rope_scaling"
    case tieWordEmbeddings = "tie_word_embeddings"
    case maxPositionEmbeddings = "max_position_embeddings"
    case bosTokenID = "bos_token_id"
    case eosTokenID = "eos_token_id"
    case useSlidingWindow = "use_sliding_window"
  }

  /// `rope_parameters` (newer transformers) or `rope_scaling` (older): only the default type is
  /// supported, because the others change the rotary angles.
  struct RopeParameters: Codable, Hashable {
    var ropeType: String?
    var type: String?
    var ropeTheta: Double?
    enum CodingKeys: String, CodingKey {
      case ropeType = "rope_type"
      case type
      case ropeTheta = "rope_theta"
    }
  }

  /// Decodes a Hugging Face `config.json` (snake_case keys).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if let modelType = try container.decodeIfPresent(String.self, forKey: .modelType),
      modelType != "qwen2"
    {
      throw ModelError(.unsupported, "model_type '\(modelType)' is not supported; vouch runs qwen2")
    }
    if try container.decodeIfPresent(Bool.self, forKey: .useSlidingWindow) == true {
      throw ModelError(.unsupported, "use_sliding_window = true is not supported")
    }
    let parameters = try container.decodeIfPresent(RopeParameters.self, forKey: .ropeParameters)
    let scaling = try container.decodeIfPresent(RopeParameters.self, forKey: .ropeScaling)
    for rope in [parameters, scaling].compactMap({ $0 }) {
      let kind = rope.ropeType ?? rope.type ?? "default"
      if kind != "default" {
        throw ModelError(.unsupported, "rope type '\(kind)' is not supported; only 'default'")
      }
    }
    let theta =
      try parameters?.ropeTheta ?? container.decodeIfPresent(Double.self, forKey: .ropeTheta)
    let heads = try container.decode(Int.self, forKey: .attentionHeads)
    let eos: [Int]
    if let single = try? container.decodeIfPresent(Int.self, forKey: .eosTokenID) {
      eos = [single]
    } else {
      eos = try container.decodeIfPresent([Int].self, forKey: .eosTokenID) ?? []
    }
    self.init(
      hiddenSize: try container.decode(Int.self, forKey: .hiddenSize),
      intermediateSize: try container.decode(Int.self, forKey: .intermediateSize),
      layerCount: try container.decode(Int.self, forKey: .layerCount),
      attentionHeads: heads,
      keyValueHeads: try container.decodeIfPresent(Int.self, forKey: .keyValueHeads) ?? heads,
      headDimension: try container.decodeIfPresent(Int.self, forKey: .headDimension),
      vocabularySize: try container.decode(Int.self, forKey: .vocabularySize),
      rmsNormEpsilon: try container.decodeIfPresent(Double.self, forKey: .rmsNormEpsilon) ?? 1e-6,
      ropeTheta: theta ?? 10_000,
      tieWordEmbeddings:
        try container.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false,
      maxPositionEmbeddings:
        try container.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings),
      bosTokenID: try? container.decodeIfPresent(Int.self, forKey: .bosTokenID),
      eosTokenIDs: eos)
    try validate()
  }

  /// Encodes in the newer transformers form (`rope_parameters`), with `model_type: qwen2`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode("qwen2", forKey: .modelType)
    try container.encode(hiddenSize, forKey: .hiddenSize)
    try container.encode(intermediateSize, forKey: .intermediateSize)
    try container.encode(layerCount, forKey: .layerCount)
    try container.encode(attentionHeads, forKey: .attentionHeads)
    try container.encode(keyValueHeads, forKey: .keyValueHeads)
    try container.encode(headDimension, forKey: .headDimension)
    try container.encode(vocabularySize, forKey: .vocabularySize)
    try container.encode(rmsNormEpsilon, forKey: .rmsNormEpsilon)
    try container.encode(
      RopeParameters(ropeType: "default", type: nil, ropeTheta: ropeTheta),
      forKey: .ropeParameters)
    try container.encode(tieWordEmbeddings, forKey: .tieWordEmbeddings)
    try container.encodeIfPresent(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
    try container.encodeIfPresent(bosTokenID, forKey: .bosTokenID)
    if eosTokenIDs.count == 1 {
      try container.encode(eosTokenIDs[0], forKey: .eosTokenID)
    } else if !eosTokenIDs.isEmpty {
      try container.encode(eosTokenIDs, forKey: .eosTokenID)
    }
  }
}
