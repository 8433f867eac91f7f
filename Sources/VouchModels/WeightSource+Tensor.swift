import VouchEngine

extension WeightSource {
  /// The tensor `name` widened to Float32, checked against `shape`.
  /// - Throws: `ModelError` naming the tensor when it is missing or has another shape.
  public func tensor(_ name: String, shape: [Int]) throws -> Tensor<Float> {
    guard let stored = shapeAndType(of: name) else {
      throw ModelError(.missing, "tensor '\(name)' is missing from the weights")
    }
    guard stored.shape == shape else {
      throw ModelError(
        .mismatch,
        "tensor '\(name)' has shape \(stored.shape) but the config implies \(shape)")
    }
    // Safetensors: widen straight from the mapping into the tensor, so a bf16 tensor costs one
    // Float32 copy, not two (the [Float] of `float32(_:)` and the tensor made from it).
    if let file = (self as? SafetensorsFolder)?.shard(of: name) ?? (self as? SafetensorsFile) {
      return try file.withRawBytes(of: name) { raw in
        guard raw.count == shape.reduce(1, *) * stored.dtype.byteWidth else {
          throw ModelError(.malformed, "tensor '\(name)' has \(raw.count) bytes for \(shape)")
        }
        return Tensor(shape: shape) { out in
          HalfPrecision.widen(raw, dtype: stored.dtype, into: out)
        }
      }
    }
    let values = try float32(name)
    guard values.count == shape.reduce(1, *) else {
      throw ModelError(.malformed, "tensor '\(name)' yielded \(values.count) values for \(shape)")
    }
    return Tensor(shape: shape, scalars: values)
  }

  /// Rows `range` of the matrix `name` (`[rows, width]`) widened to Float32:
  /// `[range.count, width]`. From safetensors only those rows are read and widened.
  /// - Throws: `ModelError` naming the tensor when it is missing or has another shape.
  public func tensor(_ name: String, shape: [Int], rows range: Range<Int>) throws
    -> Tensor<Float>
  {
    try gather(name, shape: shape, rows: Array(range))
  }

  /// Rows `ids` of the matrix `name` (`[rows, width]`), in order, widened to Float32:
  /// `[ids.count, width]` — the embedding lookup without widening the whole table.
  /// - Throws: `ModelError` naming the tensor when it is missing or has another shape.
  /// - Precondition: every id is in `0..<shape[0]` (callers validate ids first).
  public func gather(_ name: String, shape: [Int], rows ids: [Int]) throws -> Tensor<Float> {
    precondition(shape.count == 2, "gather needs a matrix")
    guard let stored = shapeAndType(of: name), stored.shape == shape else {
      return try tensor(name, shape: shape).gatherRows(ids)  // throws the precise error
    }
    let width = shape[1]
    guard let file = (self as? SafetensorsFolder)?.shard(of: name) ?? (self as? SafetensorsFile)
    else { return try tensor(name, shape: shape).gatherRows(ids) }
    let rowBytes = width * stored.dtype.byteWidth
    return try file.withRawBytes(of: name) { raw in
      guard raw.count == shape[0] * rowBytes else {
        throw ModelError(.malformed, "tensor '\(name)' has \(raw.count) bytes for \(shape)")
      }
      return Tensor(shape: [ids.count, width]) { out in
        for (row, id) in ids.enumerated() {
          precondition(id >= 0 && id < shape[0], "row \(id) outside 0..<\(shape[0])")
          HalfPrecision.widen(
            UnsafeRawBufferPointer(rebasing: raw[(id * rowBytes)..<((id + 1) * rowBytes)]),
            dtype: stored.dtype,
            into: UnsafeMutableBufferPointer(rebasing: out[(row * width)..<((row + 1) * width)]))
        }
      }
    }
  }
}
