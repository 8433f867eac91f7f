/// The heap buffer behind a ``Tensor``: 64-byte aligned (what BLAS kernels like), fixed length,
/// shared between tensor copies until one of them writes.
final class TensorStorage<Scalar: TensorScalar> {
  /// Number of elements.
  let count: Int
  /// The elements; owned, freed in `deinit`.
  let pointer: UnsafeMutablePointer<Scalar>

  /// Allocates `count` elements, uninitialised (callers fill every element before reading).
  init(uninitializedCount count: Int) {
    precondition(count >= 0, "negative element count \(count)")
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(1, count) * MemoryLayout<Scalar>.stride, alignment: 64)
    pointer = raw.bindMemory(to: Scalar.self, capacity: max(1, count))
  }

  /// Allocates `count` elements set to `value`.
  convenience init(count: Int, repeating value: Scalar) {
    self.init(uninitializedCount: count)
    pointer.initialize(repeating: value, count: count)
  }

  /// A new buffer holding the same elements.
  func copy() -> TensorStorage {
    let other = TensorStorage(uninitializedCount: count)
    other.pointer.initialize(from: pointer, count: count)
    return other
  }

  deinit {
    UnsafeMutableRawPointer(pointer).deallocate()
  }
}
