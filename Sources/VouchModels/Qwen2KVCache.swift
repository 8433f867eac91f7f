import VouchEngine

/// Keys (after RoPE) and values of every position seen so far, per layer, for incremental
/// decoding: feeding tokens one at a time with a cache gives the logits of the full forward.
public struct Qwen2KVCache: Sendable {
  /// One layer's cached keys and values.
  public struct Layer: Sendable {
    /// `[positions, kvHeads · d_h]`, RoPE applied.
    public private(set) var keys: Tensor<Float>
    /// `[positions, kvHeads · d_h]`.
    public private(set) var values: Tensor<Float>

    /// An empty cache for rows of `width`.
    public init(width: Int) {
      keys = Tensor(shape: [0, width])
      values = Tensor(shape: [0, width])
    }

    /// Number of cached positions.
    public var count: Int { keys.shape[0] }

    /// Appends the rows of `keys` and `values` (`[new, kvHeads · d_h]`).
    public mutating func append(keys newKeys: Tensor<Float>, values newValues: Tensor<Float>) {
      keys = count == 0 ? newKeys : keys.concatenatingRows(newKeys)
      values = count == 0 ? newValues : values.concatenatingRows(newValues)
    }
  }

  /// One entry per decoder layer.
  public var layers: [Layer]

  /// An empty cache for a model of `configuration`.
  public init(configuration: Qwen2Configuration) {
    let width = configuration.keyValueHeads * configuration.headDimension
    layers = Array(repeating: Layer(width: width), count: configuration.layerCount)
  }

  /// Number of positions already processed (the position of the next token).
  public var count: Int { layers.first?.count ?? 0 }
}
