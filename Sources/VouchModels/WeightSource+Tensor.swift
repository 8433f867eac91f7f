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
}
