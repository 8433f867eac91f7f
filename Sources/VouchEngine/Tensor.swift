/// A dense, row-major, copy-on-write tensor of ``TensorScalar`` elements.
///
/// `Tensor<Float>` is what models compute with; `Tensor<Double>` exists for finite-difference
/// gradient checks. Copies share one buffer until one of them writes, which then copies first.
///
/// `@unchecked Sendable`: the buffer is only ever written after `isKnownUniquelyReferenced` says no
/// other tensor (on any thread) can see it, so a tensor handed to another thread is never mutated
/// under it.
public struct Tensor<Scalar: TensorScalar>: @unchecked Sendable {
  /// Extent of each dimension, outermost first, e.g. `[tokens, hidden]`.
  public private(set) var shape: [Int]
  var storage: TensorStorage<Scalar>

  /// Number of elements, the product of `shape`.
  public var count: Int { storage.count }
  /// Number of dimensions.
  public var rank: Int { shape.count }

  /// A tensor of `shape` with every element `value`.
  public init(shape: [Int], repeating value: Scalar = 0) {
    self.shape = shape
    storage = TensorStorage(count: Tensor.elementCount(shape), repeating: value)
  }

  /// A tensor of `shape` holding `scalars` in row-major order.
  /// - Precondition: `scalars.count` is the product of `shape`.
  public init(shape: [Int], scalars: [Scalar]) {
    let count = Tensor.elementCount(shape)
    precondition(scalars.count == count, "\(scalars.count) scalars for shape \(shape)")
    self.shape = shape
    storage = TensorStorage(uninitializedCount: count)
    scalars.withUnsafeBufferPointer { source in
      if let base = source.baseAddress { storage.pointer.initialize(from: base, count: count) }
    }
  }

  /// A tensor of `shape`, zero-filled, whose elements `fill` then writes in place.
  public init(shape: [Int], initializingWith fill: (UnsafeMutableBufferPointer<Scalar>) -> Void) {
    self.shape = shape
    storage = TensorStorage(uninitializedCount: Tensor.elementCount(shape))
    storage.pointer.initialize(repeating: 0, count: storage.count)
    fill(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
  }

  /// A tensor of `shape` whose elements are not initialised: only for kernels that then write
  /// every element (a GEMM with `beta = 0`), to save a pass over a large output.
  init(uninitializedShape shape: [Int]) {
    self.shape = shape
    storage = TensorStorage(uninitializedCount: Tensor.elementCount(shape))
  }

  /// The elements in row-major order.
  public var scalars: [Scalar] {
    Array(UnsafeBufferPointer(start: storage.pointer, count: count))
  }

  /// Element at a multi-dimensional `index`.
  public subscript(_ index: Int...) -> Scalar {
    get { storage.pointer[flatIndex(index)] }
    set {
      let offset = flatIndex(index)
      makeUnique()
      storage.pointer[offset] = newValue
    }
  }

  /// The same elements viewed with another shape of equal element count.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    precondition(Tensor.elementCount(newShape) == count, "cannot reshape \(shape) to \(newShape)")
    var result = self
    result.shape = newShape
    return result
  }

  /// Reads the elements without copying.
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R)
    rethrows -> R
  {
    try body(UnsafeBufferPointer(start: storage.pointer, count: count))
  }

  /// Writes the elements in place, copying the buffer first if another tensor shares it.
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    makeUnique()
    return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
  }

  /// Whether two tensors have the same shape and bitwise-identical elements.
  public func isBitwiseEqual(to other: Tensor) -> Bool {
    guard shape == other.shape else { return false }
    let bytes = count * MemoryLayout<Scalar>.stride
    let left = UnsafeRawBufferPointer(start: storage.pointer, count: bytes)
    let right = UnsafeRawBufferPointer(start: other.storage.pointer, count: bytes)
    return left.elementsEqual(right)
  }

  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
  }

  private func flatIndex(_ index: [Int]) -> Int {
    precondition(index.count == shape.count, "index \(index) for shape \(shape)")
    var offset = 0
    for (position, extent) in zip(index, shape) {
      precondition(position >= 0 && position < extent, "index \(index) out of shape \(shape)")
      offset = offset * extent + position
    }
    return offset
  }

  static func elementCount(_ shape: [Int]) -> Int {
    shape.reduce(1) { product, extent in
      precondition(extent >= 0, "negative extent in shape \(shape)")
      return product * extent
    }
  }
}

extension Tensor: Equatable {
  /// Same shape and equal elements (IEEE equality; use ``isBitwiseEqual(to:)`` for bits).
  public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
    guard lhs.shape == rhs.shape else { return false }
    for index in 0..<lhs.count where lhs.storage.pointer[index] != rhs.storage.pointer[index] {
      return false
    }
    return true
  }
}

extension Tensor: CustomStringConvertible {
  /// `Tensor<Float>[2, 3]`, without the elements.
  public var description: String { "Tensor<\(Scalar.self)>\(shape)" }
}
