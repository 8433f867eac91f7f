import VouchEngine

/// A ``WeightSource`` over tensors held in memory: generated models, tests and benchmarks.
public struct InMemoryWeights: WeightSource {
  private let tensors: [String: (shape: [Int], dtype: WeightDType, values: [Float])]

  /// Weights from Float32 tensors by name (reported as `F32`).
  public init(_ tensors: [String: Tensor<Float>]) {
    self.tensors = tensors.mapValues { ($0.shape, .float32, $0.scalars) }
  }

  public var tensorNames: [String] { tensors.keys.sorted() }

  public func shapeAndType(of name: String) -> (shape: [Int], dtype: WeightDType)? {
    tensors[name].map { ($0.shape, $0.dtype) }
  }

  public func float32(_ name: String) throws -> [Float] {
    guard let entry = tensors[name] else {
      throw ModelError(.missing, "tensor '\(name)' is missing from the in-memory weights")
    }
    return entry.values
  }
}
