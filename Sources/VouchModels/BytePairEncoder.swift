import Foundation

/// The BPE model of a byte-level tokenizer: vocabulary, ranked merges, and a cache of encoded
/// words.
///
/// Words are merged on token ids, not strings: a word starts as the ids of its bytes' alphabet
/// scalars, then the adjacent pair with the lowest merge rank (leftmost among equals) is merged
/// until no pair has a rank — the order `tokenizers`' `BPE::merge_word` uses, kept in a heap so
/// a long word costs O(n log n).
final class BytePairEncoder: @unchecked Sendable {
  // @unchecked: everything is immutable after init except `cache`, which `lock` guards.

  /// One merge: the rank (its line in `merges`) and the id of the merged token.
  struct Merge: Sendable {
    var rank: Int32
    var merged: Int32
  }

  /// Id of each byte's single-scalar token, or -1 when the vocabulary lacks it (then the byte is
  /// dropped, as `tokenizers` does without an `unk_token`).
  let byteTokens: [Int32]
  /// (left, right) → merge.
  let merges: MergeTable
  /// Token string → id (alphabet-spelled strings).
  let vocabulary: [String: Int32]
  /// Whether a word already in the vocabulary skips merging (`ignore_merges`, Llama-3 style).
  let ignoreMerges: Bool

  private let lock = NSLock()
  private var cache: [WordKey: [Int32]] = [:]
  private static let cacheCapacity = 50_000

  init(vocabulary: [String: Int32], merges: [(String, String)], ignoreMerges: Bool, file: String)
    throws
  {
    self.vocabulary = vocabulary
    self.ignoreMerges = ignoreMerges
    byteTokens = ByteLevelAlphabet.scalars.map { vocabulary[String($0)] ?? -1 }
    var table = MergeTable(capacityFor: merges.count)
    for (rank, (left, right)) in merges.enumerated() {
      guard let leftID = vocabulary[left], let rightID = vocabulary[right],
        let mergedID = vocabulary[left + right]
      else {
        throw ModelError.malformed(
          file, "merge \(rank) '\(left) \(right)' uses a token that is not in the vocabulary")
      }
      table.insertIfAbsent(
        MergeTable.key(leftID, rightID), Merge(rank: Int32(rank), merged: mergedID))
    }
    self.merges = table
  }

  /// Appends the ids of one pre-tokenized piece (UTF-8 `piece`) to `ids`.
  func encode(piece bytes: UnsafeBufferPointer<UInt8>, into ids: inout [Int32]) {
    let piece = WordKey(bytes: Array(bytes))
    lock.lock()
    let cached = cache[piece]
    lock.unlock()
    if let cached {
      ids.append(contentsOf: cached)
      return
    }
    let word = encodeUncached(piece.bytes)
    lock.lock()
    if cache.count >= BytePairEncoder.cacheCapacity { cache.removeAll(keepingCapacity: true) }
    cache[piece] = word
    lock.unlock()
    ids.append(contentsOf: word)
  }

  /// Merges the bytes of one word.
  func encodeUncached(_ bytes: [UInt8]) -> [Int32] {
    if ignoreMerges, let whole = vocabulary[ByteLevelAlphabet.encode(bytes)] { return [whole] }
    var symbols: [Int32] = []
    symbols.reserveCapacity(bytes.count)
    for byte in bytes where byteTokens[Int(byte)] >= 0 { symbols.append(byteTokens[Int(byte)]) }
    if symbols.count < 2 { return symbols }
    if symbols.count <= 16 { return mergeSmall(symbols) }
    return mergeLarge(symbols)
  }

  @inline(__always)
  private func merge(_ left: Int32, _ right: Int32) -> Merge? {
    merges.merge(left, right)
  }

  /// Short words: rescan for the best pair after each merge (fewer allocations than a heap).
  private func mergeSmall(_ start: [Int32]) -> [Int32] {
    var symbols = start
    while symbols.count > 1 {
      var best: (rank: Int32, index: Int, merged: Int32)?
      for index in 0..<(symbols.count - 1) {
        if let found = merge(symbols[index], symbols[index + 1]),
          best == nil || found.rank < best?.rank ?? .max
        {
          best = (found.rank, index, found.merged)
        }
      }
      guard let best else { break }
      symbols[best.index] = best.merged
      symbols.remove(at: best.index + 1)
    }
    return symbols
  }

  /// Long words: a doubly linked list of symbols and a min-heap of candidate pairs keyed by
  /// (rank, position); stale entries are skipped when popped.
  private func mergeLarge(_ start: [Int32]) -> [Int32] {
    var ids = start
    let count = ids.count
    var previous = (0..<count).map { $0 - 1 }
    var next = (0..<count).map { $0 + 1 }
    var alive = [Bool](repeating: true, count: count)
    var heap = PairHeap()
    func push(_ index: Int) {
      let right = next[index]
      guard right < count, let found = merge(ids[index], ids[right]) else { return }
      heap.push(
        PairHeap.Entry(
          rank: found.rank, position: Int32(index), left: ids[index], right: ids[right]))
    }
    for index in 0..<(count - 1) { push(index) }
    while let entry = heap.pop() {
      let index = Int(entry.position)
      let right = next[index]
      guard alive[index], right < count, ids[index] == entry.left, ids[right] == entry.right,
        let found = merge(entry.left, entry.right)
      else { continue }
      ids[index] = found.merged
      alive[right] = false
      next[index] = next[right]
      if next[right] < count { previous[next[right]] = index }
      if previous[index] >= 0 { push(previous[index]) }
      push(index)
    }
    var out: [Int32] = []
    var index = 0
    while index < count {
      out.append(ids[index])
      index = next[index]
    }
    return out
  }
}

/// A word's UTF-8 bytes as a cache key, compared byte for byte.
///
/// Why not `String`: Swift compares and hashes strings by canonical equivalence, so an NFD word
/// would hit an NFC word's entry (wrong ids when no normaliser runs), and the normalising hash
/// was a tenth of encoding time.
struct WordKey: Hashable {
  /// The word's bytes.
  var bytes: [UInt8]

  func hash(into hasher: inout Hasher) {
    bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
  }

  static func == (lhs: WordKey, rhs: WordKey) -> Bool {
    lhs.bytes.count == rhs.bytes.count
      && lhs.bytes.withUnsafeBytes { l in rhs.bytes.withUnsafeBytes { r in l.elementsEqual(r) } }
  }
}

/// A binary min-heap of merge candidates ordered by (rank, position).
struct PairHeap {
  /// A candidate merge of the symbol at `position` with its right neighbour.
  struct Entry {
    var rank: Int32
    var position: Int32
    var left: Int32
    var right: Int32

    func precedes(_ other: Entry) -> Bool {
      (rank, position) < (other.rank, other.position)
    }
  }

  private var entries: [Entry] = []

  /// Adds `entry`.
  mutating func push(_ entry: Entry) {
    entries.append(entry)
    var child = entries.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard entries[child].precedes(entries[parent]) else { break }
      entries.swapAt(child, parent)
      child = parent
    }
  }

  /// Removes and returns the smallest entry.
  mutating func pop() -> Entry? {
    guard let first = entries.first else { return nil }
    let last = entries.removeLast()
    if entries.isEmpty { return first }
    entries[0] = last
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < entries.count, entries[left].precedes(entries[smallest]) { smallest = left }
      if right < entries.count, entries[right].precedes(entries[smallest]) { smallest = right }
      if smallest == parent { break }
      entries.swapAt(parent, smallest)
      parent = smallest
    }
    return first
  }
}
