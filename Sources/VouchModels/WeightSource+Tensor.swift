import VouchEngine

extension WeightSource {
  /// The tensor `name` widened to Float32, checked against `shape`.
  /// - Throws: `ModelError` naming the tensor when it is missing or has another shape.
  public func tensor(_ name: String, shape: [Int]) throws -> Tensor<Float> {
    guard let stored = shapeAndType(of: name) else {
      throw ModelError(.missing, "tensor '\(name)' is missing from the weights")
    }
    guard stored.shape == shape else {
      throw ModelError(.mismatch,
        "tensor '\(name)' has shape \(stored.shape) but the config implies \(shape)")
    }
    let values = try float32(name)
    guard values.count == shape.reduce(1, *) else {
      throw ModelError(.malformed, "tensor '\(name)' yielded \(values.count) values for \(shape)")
    }
    return Tensor(shape: shape, scalars: values)
  }
}
