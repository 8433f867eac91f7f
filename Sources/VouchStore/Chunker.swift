/// FastCDC content-defined chunking with a 64-bit gear hash and normalized chunking (level 2).
///
/// After Xia et al., "FastCDC: a Fast and Efficient Content-Defined Chunking Approach for Data
/// Deduplication" (USENIX ATC 2016) and its 2020 journal version: the rolling value is
/// `h = (h << 1) + gear[byte]`, so bit *k* of `h` depends on the last *k + 1* bytes; the masks
/// test the top bits, which see a 64-byte window. The first `minimumSize` bytes of a chunk are
/// skipped (cut-point skipping); up to `averageSize` the harder mask (two more bits) applies,
/// after it the easier one (two fewer bits), which pulls sizes toward the average.
///
/// A cut depends only on the bytes of the chunk being cut, so boundaries re-synchronise shortly
/// after an insertion or deletion: this is what lets a slightly edited copy share most chunks.
struct Chunker: Sendable {
  /// The size limits.
  let parameters: ChunkingParameters
  private let hardMask: UInt64
  private let easyMask: UInt64

  /// A chunker for `parameters` (already validated).
  init(_ parameters: ChunkingParameters) {
    self.parameters = parameters
    let bits = parameters.averageSize.trailingZeroBitCount
    hardMask = Chunker.topBits(bits + 2)
    easyMask = Chunker.topBits(max(bits - 2, 1))
  }

  private static func topBits(_ count: Int) -> UInt64 { ~(UInt64.max >> UInt64(count)) }

  /// The length of the chunk that starts at `bytes`, given `count` bytes to look at.
  ///
  /// The caller passes the full window it may cut in: `min(available, maximumSize, distance to
  /// a forced cut)`, and passes fewer than `maximumSize` bytes only at end of input or before a
  /// forced cut; the result is then `count` when no content-defined cut is found.
  /// - Returns: a length in `1...count`.
  func cut(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int {
    let minimum = parameters.minimumSize
    if count <= minimum { return count }
    let normal = min(count, parameters.averageSize)
    return Chunker.gear.withUnsafeBufferPointer { table -> Int in
      guard let gear = table.baseAddress else { return count }
      var hash: UInt64 = 0
      var index = minimum
      if let found = Self.scan(bytes, gear, &hash, &index, end: normal, mask: hardMask) {
        return found
      }
      return Self.scan(bytes, gear, &hash, &index, end: count, mask: easyMask) ?? count
    }
  }

  /// Rolls the gear hash over `bytes[index..<end]`; returns the cut length at the first position
  /// whose hash has no bit of `mask` set, else leaves `hash` and `index` at `end`.
  ///
  /// Four bytes per step: each of the four hashes is computed from the step's starting hash
  /// (`h << k` plus a sum of shifted gear words that does not depend on it), so the dependency
  /// chain is one shift and one add per four bytes instead of per byte. Wrapping arithmetic
  /// makes this exactly the byte-at-a-time recurrence, so every cut is the same.
  @inline(__always)
  private static func scan(
    _ bytes: UnsafePointer<UInt8>, _ gear: UnsafePointer<UInt64>, _ hash: inout UInt64,
    _ index: inout Int, end: Int, mask: UInt64
  ) -> Int? {
    var h = hash
    var i = index
    while i &+ 4 <= end {
      let g0 = gear[Int(bytes[i])]
      let g1 = gear[Int(bytes[i &+ 1])]
      let g2 = gear[Int(bytes[i &+ 2])]
      let g3 = gear[Int(bytes[i &+ 3])]
      let t1 = (g0 << 1) &+ g1
      let t2 = (t1 << 1) &+ g2
      let t3 = (t2 << 1) &+ g3
      let h1 = (h << 1) &+ g0
      let h2 = (h << 2) &+ t1
      let h3 = (h << 3) &+ t2
      let h4 = (h << 4) &+ t3
      if (h1 & mask) == 0 || (h2 & mask) == 0 || (h3 & mask) == 0 || (h4 & mask) == 0 {
        if (h1 & mask) == 0 { return i &+ 1 }
        if (h2 & mask) == 0 { return i &+ 2 }
        if (h3 & mask) == 0 { return i &+ 3 }
        return i &+ 4
      }
      h = h4
      i &+= 4
    }
    while i < end {
      h = (h << 1) &+ gear[Int(bytes[i])]
      i &+= 1
      if (h & mask) == 0 { return i }
    }
    hash = h
    index = i
    return nil
  }

  /// 256 fixed pseudo-random words (SplitMix64 from seed 0x766f756368, "vouch"). Changing them
  /// changes every boundary, so they are part of the `fastcdc-gear64-v1` chunker name.
  static let gear: [UInt64] = {
    var state: UInt64 = 0x76_6f75_6368
    return (0..<256).map { _ in
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }()
}
