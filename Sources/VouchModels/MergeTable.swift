/// An open-addressing hash table from a token-id pair to its merge, for the BPE inner loop.
///
/// Why not `Dictionary`: its per-lookup SipHash dominated encoding time; pair keys are already
/// well-mixed integers, so one multiply (Fibonacci hashing) and linear probing suffice.
struct MergeTable: Sendable {
  private static let empty = UInt64.max
  private var keys: [UInt64]
  private var values: [BytePairEncoder.Merge]
  private let shift: UInt64
  private let mask: Int

  /// An empty table sized for `count` entries at most half full.
  init(capacityFor count: Int) {
    var bits = 4
    while (1 << bits) < count * 2 { bits += 1 }
    keys = [UInt64](repeating: MergeTable.empty, count: 1 << bits)
    values = [BytePairEncoder.Merge](
      repeating: BytePairEncoder.Merge(rank: 0, merged: 0), count: 1 << bits)
    shift = UInt64(64 - bits)
    mask = (1 << bits) - 1
  }

  /// The key of the pair (`left`, `right`).
  @inline(__always)
  static func key(_ left: Int32, _ right: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
  }

  @inline(__always)
  private func slot(_ key: UInt64) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
  }

  /// Inserts `merge` for `key` unless the key is present (the first, lowest-ranked merge wins).
  mutating func insertIfAbsent(_ key: UInt64, _ merge: BytePairEncoder.Merge) {
    var index = slot(key)
    while keys[index] != MergeTable.empty {
      if keys[index] == key { return }
      index = (index + 1) & mask
    }
    keys[index] = key
    values[index] = merge
  }

  /// The merge of the pair (`left`, `right`), or `nil`.
  @inline(__always)
  func merge(_ left: Int32, _ right: Int32) -> BytePairEncoder.Merge? {
    let key = MergeTable.key(left, right)
    var index = slot(key)
    while true {
      let found = keys[index]
      if found == key { return values[index] }
      if found == MergeTable.empty { return nil }
      index = (index + 1) & mask
    }
  }
}
