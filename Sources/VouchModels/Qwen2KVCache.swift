import VouchEngine

/// Keys (after RoPE) and values of every position seen so far, per layer, for incremental
/// decoding: feeding tokens one at a time with a cache gives the logits of the full forward.
public struct Qwen2KVCache: Sendable {
  /// One layer's cache.
  public typealias Layer = KeyValueCache<Float>

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

/// One decoder block's cached keys (after RoPE) and values, in buffers that grow by doubling
/// (appending a token copies only that token's rows, amortised). The block forward always runs
/// through one: training and full forwards start from an empty cache at position 0.
public struct KeyValueCache<Scalar: TensorScalar>: Sendable {
  /// `[capacity, kvHeads · d_h]`; rows `0..<count` are the cached keys (RoPE applied).
  public private(set) var keyBuffer: Tensor<Scalar>
  /// `[capacity, kvHeads · d_h]`; rows `0..<count` are the cached values.
  public private(set) var valueBuffer: Tensor<Scalar>
  /// Number of cached positions.
  public private(set) var count = 0
  private let width: Int

  /// An empty cache for rows of `width`.
  public init(width: Int) {
    self.width = width
    keyBuffer = Tensor(shape: [0, width])
    valueBuffer = Tensor(shape: [0, width])
  }

  /// The cached keys, `[count, kvHeads · d_h]` (a copy).
  public var keys: Tensor<Scalar> { keyBuffer.rows(0..<count) }
  /// The cached values, `[count, kvHeads · d_h]` (a copy).
  public var values: Tensor<Scalar> { valueBuffer.rows(0..<count) }

  /// Appends the rows of `keys` and `values` (`[new, kvHeads · d_h]`).
  public mutating func append(keys newKeys: Tensor<Scalar>, values newValues: Tensor<Scalar>) {
    precondition(newKeys.shape == newValues.shape && newKeys.shape.last == width)
    let added = newKeys.shape[0]
    if count == 0 && keyBuffer.shape[0] == 0 {
      // A forward from position 0 (training, a prompt): keep the tensors, copy nothing.
      keyBuffer = newKeys
      valueBuffer = newValues
      count = added
      return
    }
    if count + added > keyBuffer.shape[0] {
      let capacity = max(16, 2 * (count + added))
      keyBuffer = Self.grown(keyBuffer, rows: count, capacity: capacity, width: width)
      valueBuffer = Self.grown(valueBuffer, rows: count, capacity: capacity, width: width)
    }
    Self.write(newKeys, into: &keyBuffer, at: count * width)
    Self.write(newValues, into: &valueBuffer, at: count * width)
    count += added
  }

  private static func grown(_ buffer: Tensor<Scalar>, rows: Int, capacity: Int, width: Int)
    -> Tensor<Scalar>
  {
    Tensor(shape: [capacity, width]) { out in
      buffer.withUnsafeBufferPointer { old in
        for index in 0..<(rows * width) { out[index] = old[index] }
      }
    }
  }

  private static func write(
    _ rows: Tensor<Scalar>, into buffer: inout Tensor<Scalar>, at offset: Int
  ) {
    buffer.withUnsafeMutableBufferPointer { out in
      rows.withUnsafeBufferPointer { source in
        for index in 0..<source.count { out[offset + index] = source[index] }
      }
    }
  }
}
