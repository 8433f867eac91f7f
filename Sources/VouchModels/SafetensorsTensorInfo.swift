/// One tensor's entry in a safetensors header, already validated against its file.
public struct SafetensorsTensorInfo: Sendable, Hashable {
  /// The tensor's name (`model.layers.0.mlp.up_proj.weight`).
  public let name: String
  /// The stored element type.
  public let dtype: WeightDType
  /// The shape, outermost dimension first (`[out, in]` for a linear weight).
  public let shape: [Int]
  /// Byte range inside the data section (after the 8-byte length and the header).
  public let dataRange: Range<Int>

  /// Number of elements, `shape.reduce(1, *)` (checked for overflow at load).
  public var elementCount: Int { dataRange.count / dtype.byteWidth }
}
