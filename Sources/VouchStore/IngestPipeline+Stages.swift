import Foundation
import VouchCore

/// The chunks the reader found in each slot's segment, for the chunk thread.
///
/// A chunk lies inside its segment's buffer, or (when it straddles segments and was gathered in
/// the splitter's carry buffer, which the next segment reuses) in a copy in the slot's spill
/// buffer (allocated once: a fresh allocation per chunk cost page faults and zeroing in
/// perf). Raw per-slot storage: each slot is touched only by the thread
/// that owns it at the time (handed over by the ring's semaphores).
final class ChunkBatches: @unchecked Sendable {
  /// One slot's chunks.
  struct Batch {
    /// Each chunk's bytes, in order.
    var chunks: [UnsafeRawBufferPointer] = []
    /// Copies that did not fit the spill buffer, to free after hashing (never with the
    /// splitter's bounds, kept as a guard).
    var owned: [UnsafeMutableRawBufferPointer] = []
    /// The digests the reader computed (see `readerHashes`), `nil` for the chunk thread's.
    var digests: [Digest?] = []
  }

  /// Whether the reader hashes the chunk with this index in the file: four chunks in five. A
  /// fixed rule on the index, so who hashes what never depends on timing (and the digests do
  /// not depend on who hashed them). The share balances the two threads (perf samples per
  /// thread on a 1 GiB re-add: 51/49%): the reader's `pread` copy, gear loop and these hashes
  /// against the chunk thread's whole-file hash, the other chunk hashes and the existence
  /// checks.
  static func readerHashes(_ index: Int) -> Bool { index % 5 != 0 }

  /// Chunks recorded so far in the file (the index of the next one).
  private var chunkIndex = 0

  private let storage: UnsafeMutablePointer<Batch>
  private let count: Int
  /// `spillSize` bytes per slot for chunks copied out of the carry buffer.
  private let spill: UnsafeMutableRawPointer
  private let spillSize: Int

  /// Empty batches for `slots` slots, for chunks of at most `maximumChunk` bytes (one feed
  /// emits at most twice that from the carry buffer).
  init(slots: Int, maximumChunk: Int) {
    count = slots
    storage = .allocate(capacity: slots)
    storage.initialize(repeating: Batch(), count: slots)
    spillSize = 2 * maximumChunk
    spill = .allocate(byteCount: slots * spillSize, alignment: 64)
  }

  deinit {
    for slot in 0..<count { release(slot) }
    storage.deinitialize(count: count)
    storage.deallocate()
    spill.deallocate()
  }

  /// Cuts `segment` (in slot `slot`) with `splitter` and records its chunks, hashing those
  /// whose index `hashes` selects.
  func fill(
    _ slot: Int, from segment: UnsafeRawBufferPointer, splitter: ChunkSplitter, final: Bool,
    hashes: (Int) -> Bool
  ) {
    var batch = Batch()
    let start = segment.baseAddress
    var index = chunkIndex
    var mine: [Int] = []
    let spillStart = spill + slot * spillSize
    var spilled = 0
    splitter.feed(segment, final: final) { chunk in
      guard let base = chunk.baseAddress else { return }
      if hashes(index) { mine.append(batch.chunks.count) }
      index += 1
      if let start, base >= start, base + chunk.count <= start + segment.count {
        batch.chunks.append(chunk)
      } else if spilled + chunk.count <= spillSize {
        let copy = UnsafeMutableRawBufferPointer(start: spillStart + spilled, count: chunk.count)
        copy.copyMemory(from: chunk)
        spilled += chunk.count
        batch.chunks.append(UnsafeRawBufferPointer(copy))
      } else {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk.count, alignment: 16)
        copy.copyMemory(from: chunk)
        batch.owned.append(copy)
        batch.chunks.append(UnsafeRawBufferPointer(copy))
      }
    }
    chunkIndex = index
    batch.digests = [Digest?](repeating: nil, count: batch.chunks.count)
    for index in mine { batch.digests[index] = StreamingHash.digest(of: batch.chunks[index]) }
    storage[slot] = batch
  }

  /// The chunks of slot `slot`, with the digests the reader computed.
  func batch(_ slot: Int) -> Batch { storage[slot] }

  /// Frees the copies of slot `slot` and empties it.
  func release(_ slot: Int) {
    for copy in storage[slot].owned { copy.deallocate() }
    storage[slot] = Batch()
  }
}

/// The chunk stage of `IngestPipeline`: feeds the whole-file SHA-256, hashes the chunks the
/// reader left unhashed, stages the new ones, and frees the segment.
final class ChunkWorker: @unchecked Sendable {
  private let ring: SegmentRing
  private let batches: ChunkBatches
  /// Where new chunks go; `nil` when adopting the whole file (`--link`), which writes none.
  private let staged: StagedObjects?
  /// Chunks found so far (read after `done`).
  private(set) var chunks: [Recipe.Chunk] = []
  /// SHA-256 of every segment, in order (read after `done`).
  private(set) var whole = StreamingHash()
  /// The first error, if any (read after `done`).
  private(set) var error: Error?
  /// Signalled when the final segment has been handled.
  let done = DispatchSemaphore(value: 0)

  /// A worker taking segments from `ring` and their chunks from `batches`, staging into
  /// `staged`.
  init(ring: SegmentRing, batches: ChunkBatches, staged: StagedObjects?) {
    self.ring = ring
    self.batches = batches
    self.staged = staged
  }

  /// The thread body: handles every segment up to and including the final one.
  func run() {
    var sequence = 0
    while true {
      ring.ready.wait()
      let slot = sequence % ring.buffers.count
      sequence += 1
      let final = ring.finals[slot]
      if error == nil && !ring.isAborted {
        whole.update(UnsafeRawBufferPointer(start: ring.buffers[slot], count: ring.lengths[slot]))
        do {
          let batch = batches.batch(slot)
          for (chunk, hashed) in zip(batch.chunks, batch.digests) {
            let digest = hashed ?? StreamingHash.digest(of: chunk)
            chunks.append(Recipe.Chunk(digest: digest, size: Int64(chunk.count)))
            try staged?.stageObject(chunk, digest: digest)
          }
        } catch {
          self.error = error
          ring.abort()
        }
      }
      batches.release(slot)
      ring.free.signal()
      if final { break }
    }
    done.signal()
  }
}
