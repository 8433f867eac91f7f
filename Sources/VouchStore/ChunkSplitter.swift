/// Splits a byte stream fed in arbitrary segments into the same chunks `Chunker` would cut from
/// the whole stream at once, honouring forced cut points (tensor boundaries).
///
/// A cut is only decided once a full window (`maximumSize` bytes, or up to the next forced cut,
/// or end of input) is visible, so the result never depends on how the input was segmented —
/// the reader's buffer size and thread count cannot change a boundary. Bytes of a chunk that
/// straddles two segments are gathered in a carry buffer of at most `maximumSize` bytes.
final class ChunkSplitter {
  private let chunker: Chunker
  private let forcedCuts: [Int64]
  private var nextForced = 0
  /// Absolute offset of the first byte not yet emitted.
  private var position: Int64 = 0
  private var carry: UnsafeMutablePointer<UInt8>
  private var carryCount = 0
  private let capacity: Int

  /// A splitter cutting with `chunker` and also at every offset in `forcedCuts` (any order).
  init(chunker: Chunker, forcedCuts: [Int64] = []) {
    self.chunker = chunker
    self.forcedCuts = Array(Set(forcedCuts.filter { $0 > 0 })).sorted()
    capacity = chunker.parameters.maximumSize
    carry = .allocate(capacity: capacity)
  }

  deinit { carry.deallocate() }

  /// The window length for a chunk starting at `position` with `available` bytes visible, or
  /// `nil` when more input is needed.
  private func window(available: Int, final: Bool) -> Int? {
    while nextForced < forcedCuts.count, forcedCuts[nextForced] <= position { nextForced += 1 }
    var limit = chunker.parameters.maximumSize
    if nextForced < forcedCuts.count {
      limit = Int(min(Int64(limit), forcedCuts[nextForced] - position))
    }
    if available >= limit { return limit }
    return final && available > 0 ? available : nil
  }

  /// Consumes `segment`; calls `emit` with each completed chunk (valid only during the call).
  /// Pass `final: true` with the last segment (which may be empty) to flush the tail.
  func feed(
    _ segment: UnsafeRawBufferPointer, final: Bool,
    emit: (UnsafeRawBufferPointer) throws -> Void
  ) rethrows {
    guard let raw = segment.baseAddress, segment.count > 0 else {
      if final { try drainCarry(emit: emit) }
      return
    }
    let base = raw.assumingMemoryBound(to: UInt8.self)
    var offset = 0
    let count = segment.count
    // First complete the chunk(s) that began in earlier segments.
    while carryCount > 0 {
      let take = min(capacity - carryCount, count - offset)
      (carry + carryCount).update(from: base + offset, count: take)
      carryCount += take
      offset += take
      let isLast = final && offset == count
      guard let limit = window(available: carryCount, final: isLast) else { return }
      let length = chunker.cut(carry, count: limit)
      try emit(UnsafeRawBufferPointer(start: carry, count: length))
      position += Int64(length)
      // Give back the bytes copied past the cut; they are re-read from the segment.
      let remaining = carryCount - length
      if remaining > take {
        // The cut fell inside the older bytes: keep their tail, un-take this segment's bytes.
        carry.update(from: carry + length, count: remaining - take)
        carryCount = remaining - take
        offset -= take
      } else {
        offset -= remaining
        carryCount = 0
      }
    }
    while offset < count {
      guard let limit = window(available: count - offset, final: final) else {
        carry.update(from: base + offset, count: count - offset)
        carryCount = count - offset
        return
      }
      let length = chunker.cut(base + offset, count: limit)
      try emit(UnsafeRawBufferPointer(start: base + offset, count: length))
      position += Int64(length)
      offset += length
    }
  }

  private func drainCarry(emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
    while carryCount > 0, let limit = window(available: carryCount, final: true) {
      let length = chunker.cut(carry, count: limit)
      try emit(UnsafeRawBufferPointer(start: carry, count: length))
      position += Int64(length)
      carry.update(from: carry + length, count: carryCount - length)
      carryCount -= length
    }
  }
}
