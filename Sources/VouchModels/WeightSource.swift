import VouchEngine

/// Element types a weight file may store.
public enum WeightDType: String, Sendable, Hashable, CaseIterable {
  case float32 = "F32"
  case bfloat16 = "BF16"
  case float16 = "F16"
}

/// Where a model's named weights come from (a safetensors file, a sharded folder, memory in tests).
///
/// Models ask for one tensor at a time and widen it to Float32 only when they use it, so a bf16
/// checkpoint stays bf16 in its mapping.
public protocol WeightSource: Sendable {
  /// Every tensor name, sorted.
  var tensorNames: [String] { get }
  /// Shape and stored element type of `name`, or `nil` when there is no such tensor.
  func shapeAndType(of name: String) -> (shape: [Int], dtype: WeightDType)?
  /// The tensor `name` widened to Float32, row-major, `shape.reduce(1, *)` elements.
  /// - Throws: a `ModelError` naming the tensor when it is missing or unreadable.
  func float32(_ name: String) throws -> [Float]
}
