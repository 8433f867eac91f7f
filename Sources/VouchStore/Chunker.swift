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
    var hash: UInt64 = 0
    var index = minimum
    let table = Chunker.gear
    return table.withUnsafeBufferPointer { gear in
      while index < normal {
        hash = (hash << 1) &+ gear[Int(bytes[index])]
        if hash & hardMask == 0 { return index + 1 }
        index += 1
      }
      while index < count {
        hash = (hash << 1) &+ gear[Int(bytes[index])]
        if hash & easyMask == 0 { return index + 1 }
        index += 1
      }
      return count
    }
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
