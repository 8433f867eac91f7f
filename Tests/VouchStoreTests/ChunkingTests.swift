import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

@Suite struct ChunkingTests {
  /// Chunk lengths of `bytes` fed to a splitter in segments of `segment` bytes.
  func lengths(
    _ bytes: [UInt8], segment: Int, cuts: [Int64] = [],
    parameters: ChunkingParameters = testChunking
  ) -> [Int] {
    let splitter = ChunkSplitter(chunker: Chunker(parameters), forcedCuts: cuts)
    var out = [Int]()
    bytes.withUnsafeBytes { all in
      var offset = 0
      repeat {
        let end = min(offset + segment, all.count)
        let part = UnsafeRawBufferPointer(rebasing: all[offset..<end])
        splitter.feed(part, final: end == all.count) { out.append($0.count) }
        offset = end
      } while offset < all.count
    }
    return out
  }

  @Test(arguments: [1, 4095, 32 << 10, 100_000, 1 << 22])
  func boundariesDoNotDependOnSegmentSize(segment: Int) {
    var generator = SeededGenerator(seed: 3)
    let bytes = generator.bytes(600_000)
    let reference = lengths(bytes, segment: bytes.count)
    #expect(lengths(bytes, segment: segment) == reference)
    #expect(reference.reduce(0, +) == bytes.count)
    #expect(reference.dropLast().allSatisfy { $0 >= testChunking.minimumSize })
    #expect(reference.allSatisfy { $0 <= testChunking.maximumSize })
  }

  /// The FastCDC recurrence one byte at a time, as the paper states it: the reference the
  /// four-bytes-per-step loop of `Chunker.cut` must match cut for cut.
  func referenceCut(_ bytes: [UInt8], from start: Int, count: Int, _ p: ChunkingParameters)
    -> Int
  {
    if count <= p.minimumSize { return count }
    let bits = p.averageSize.trailingZeroBitCount
    let hard = ~(UInt64.max >> UInt64(bits + 2))
    let easy = ~(UInt64.max >> UInt64(max(bits - 2, 1)))
    var hash: UInt64 = 0
    for index in p.minimumSize..<count {
      hash = (hash << 1) &+ Chunker.gear[Int(bytes[start + index])]
      if hash & (index < min(count, p.averageSize) ? hard : easy) == 0 { return index + 1 }
    }
    return count
  }

  @Test(arguments: [testChunking, ChunkingParameters.standard])
  func cutsMatchTheByteAtATimeReference(parameters: ChunkingParameters) {
    var generator = SeededGenerator(seed: 7)
    // Random bytes, then a long run of zeros (no content cut: every chunk hits the maximum).
    let bytes = generator.bytes(3_000_000) + [UInt8](repeating: 0, count: 400_000)
    let chunker = Chunker(parameters)
    var offset = 0
    var cuts = 0
    bytes.withUnsafeBufferPointer { all in
      guard let base = all.baseAddress else { return }
      while offset < bytes.count {
        // Odd window lengths too, so the scalar tail of the unrolled loop is exercised.
        let window = min(bytes.count - offset, parameters.maximumSize - (cuts % 3))
        let fast = chunker.cut(base + offset, count: window)
        #expect(fast == referenceCut(bytes, from: offset, count: window, parameters))
        offset += fast
        cuts += 1
      }
    }
    #expect(cuts > 20)
  }

  @Test func averageChunkSizeIsNearTheTarget() {
    var generator = SeededGenerator(seed: 4)
    let bytes = generator.bytes(4 << 20)
    let sizes = lengths(bytes, segment: 1 << 20, parameters: .standard)
    let mean = Double(bytes.count) / Double(sizes.count)
    #expect(mean > 24_000 && mean < 60_000, "mean chunk \(mean)")
  }

  @Test func anInsertionOnlyChangesNearbyChunks() throws {
    var generator = SeededGenerator(seed: 5)
    let original = generator.bytes(1 << 20)
    var edited = original
    edited.insert(contentsOf: generator.bytes(100), at: 500_000)
    func digests(_ bytes: [UInt8]) -> Set<Digest> {
      let splitter = ChunkSplitter(chunker: Chunker(testChunking))
      var out = Set<Digest>()
      bytes.withUnsafeBytes { buffer in
        splitter.feed(buffer, final: true) { out.insert(StreamingHash.digest(of: $0)) }
      }
      return out
    }
    let before = digests(original)
    let after = digests(edited)
    let fresh = after.subtracting(before).count
    #expect(fresh <= 3, "an insertion re-cut \(fresh) of \(after.count) chunks")
  }

  @Test func forcedCutsAreHonoured() {
    var generator = SeededGenerator(seed: 6)
    let bytes = generator.bytes(300_000)
    let cuts: [Int64] = [100, 77_777, 77_778, 250_000]
    var offsets = Set<Int64>()
    var position: Int64 = 0
    for length in lengths(bytes, segment: 50_000, cuts: cuts) {
      position += Int64(length)
      offsets.insert(position)
    }
    for cut in cuts { #expect(offsets.contains(cut)) }
  }

  @Test func aOnePercentChangedCopyStoresLittleNewData() throws {
    let (directory, store) = try makeStore(chunking: .standard)
    var generator = SeededGenerator(seed: 8)
    var bytes = generator.bytes(4 << 20)
    let original = try directory.write("a.bin", Data(bytes))
    let first = try store.ingest(file: original)
    let blocks = bytes.count / 4096
    for _ in 0..<(blocks / 100) {
      let block = Int(generator.next() % UInt64(blocks))
      for index in (block * 4096)..<(block * 4096 + 4096) {
        bytes[index] = UInt8.random(in: 0...255, using: &generator)
      }
    }
    let copy = try directory.write("b.bin", Data(bytes))
    let second = try store.ingest(file: copy)
    #expect(second.digest != first.digest)
    let ratio = Double(second.newBytes.value) / Double(bytes.count)
    print("1%-changed copy: new bytes \(second.newBytes) = \(Int(ratio * 1000) / 10)% of the file")
    // 10 changed 4 KiB blocks each re-write about one ~40 KiB chunk (the measured ratio at
    // 1 GiB scale is 12.7%; a 4 MiB file has few chunks, so the bound is loose).
    #expect(ratio < 0.3)
  }
}
