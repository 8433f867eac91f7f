import Foundation

/// One memory-mapped `.safetensors` file: validated header, tensors read on demand.
///
/// Opening maps the file and validates the whole header (see ``SafetensorsHeader``); reading a
/// tensor touches only its pages. bf16/f16 tensors stay 16-bit in the mapping until
/// ``float32(_:)`` widens one.
public struct SafetensorsFile: WeightSource {
  /// The file's location.
  public let url: URL
  /// The validated header.
  public let header: SafetensorsHeader
  private let mapping: MappedFile
  private let index: [String: Int]

  /// Maps and validates `url`.
  /// - Throws: `ModelError` naming the file (and tensor) when it is missing or malformed.
  public init(url: URL) throws {
    self.url = url
    mapping = try MappedFile(path: url.path)
    header = try mapping.withBytes(0..<mapping.count) {
      try SafetensorsHeader.parse($0, file: url.path)
    }
    var index: [String: Int] = [:]
    for (position, tensor) in header.tensors.enumerated() { index[tensor.name] = position }
    self.index = index
  }

  /// The file's size in bytes.
  public var byteCount: Int { mapping.count }

  /// Every tensor name, sorted.
  public var tensorNames: [String] { header.tensors.map(\.name) }

  /// The `__metadata__` string map (empty when absent).
  public var metadata: [String: String] { header.metadata }

  /// The header entry of `name`, or `nil`.
  public func info(_ name: String) -> SafetensorsTensorInfo? {
    index[name].map { header.tensors[$0] }
  }

  /// Shape and stored element type of `name`, or `nil` when there is no such tensor.
  public func shapeAndType(of name: String) -> (shape: [Int], dtype: WeightDType)? {
    info(name).map { ($0.shape, $0.dtype) }
  }

  /// Calls `body` with the stored little-endian bytes of `name` (valid only inside `body`).
  /// - Throws: `ModelError.missing` naming the tensor and the file.
  public func withRawBytes<R>(
    of name: String, _ body: (UnsafeRawBufferPointer) throws -> R
  ) throws -> R {
    guard let tensor = info(name) else {
      throw ModelError(.missing, "\(url.path): no tensor named '\(name)'")
    }
    let start = header.dataOffset + tensor.dataRange.lowerBound
    return try mapping.withBytes(start..<(start + tensor.dataRange.count), body)
  }

  /// Calls `body` with the whole mapped file (for digests of the file's bytes).
  public func withFileBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try mapping.withBytes(0..<mapping.count, body)
  }

  /// The tensor `name` widened to Float32, row-major, `shape.reduce(1, *)` elements.
  /// - Throws: `ModelError.missing` naming the tensor when there is no such tensor.
  public func float32(_ name: String) throws -> [Float] {
    guard let tensor = info(name) else {
      throw ModelError(.missing, "\(url.path): no tensor named '\(name)'")
    }
    return try withRawBytes(of: name) { raw in
      [Float](unsafeUninitializedCapacity: tensor.elementCount) { buffer, initialized in
        HalfPrecision.widen(raw, dtype: tensor.dtype, into: buffer)
        initialized = tensor.elementCount
      }
    }
  }
}
