import Foundation
import VouchCore

/// The chunks the cutter found in one segment, in order, for the hasher.
struct ChunkBatch {
  /// Each chunk's bytes: inside the segment's buffer, or (for a chunk that straddles segments)
  /// a copy owned by the batch, freed by the hasher.
  var chunks: [UnsafeRawBufferPointer] = []
  /// Copies to free after hashing.
  var owned: [UnsafeMutableRawBufferPointer] = []
  /// Whether this is the last batch.
  var final = false
}

/// A FIFO of batches from the cutter to the hasher.
final class BatchQueue: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [ChunkBatch] = []
  private let available = DispatchSemaphore(value: 0)

  /// Appends a batch.
  func push(_ batch: ChunkBatch) {
    lock.lock()
    items.append(batch)
    lock.unlock()
    available.signal()
  }

  /// Removes the oldest batch, waiting for one.
  func pop() -> ChunkBatch {
    available.wait()
    lock.lock()
    defer { lock.unlock() }
    return items.removeFirst()
  }
}

/// Stage 2: finds chunk boundaries in each segment and passes them on.
final class ChunkCutter: @unchecked Sendable {
  private let ring: SegmentRing
  private let splitter: ChunkSplitter
  private let batches: BatchQueue

  init(ring: SegmentRing, splitter: ChunkSplitter, batches: BatchQueue) {
    self.ring = ring
    self.splitter = splitter
    self.batches = batches
  }

  func run() {
    var sequence = 0
    while true {
      ring.ready.wait()
      let slot = sequence % ring.buffers.count
      sequence += 1
      var batch = ChunkBatch()
      batch.final = ring.finals[slot]
      if !ring.isAborted {
        let start = UnsafeRawPointer(ring.buffers[slot])
        let segment = UnsafeRawBufferPointer(start: start, count: ring.lengths[slot])
        splitter.feed(segment, final: batch.final) { chunk in
          guard let base = chunk.baseAddress else { return }
          if base >= start && base + chunk.count <= start + segment.count {
            batch.chunks.append(chunk)
          } else {
            // Bytes gathered in the splitter's carry buffer, which the next segment reuses.
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk.count, alignment: 16)
            copy.copyMemory(from: chunk)
            batch.owned.append(copy)
            batch.chunks.append(UnsafeRawBufferPointer(copy))
          }
        }
      }
      batches.push(batch)
      if batch.final { break }
    }
  }
}

/// Stage 3: hashes each chunk, stages new ones, and frees the segment.
final class ChunkHasher: @unchecked Sendable {
  private let ring: SegmentRing
  private let batches: BatchQueue
  private let staged: StagedObjects
  /// Chunks found so far (read after `done`).
  private(set) var chunks: [Recipe.Chunk] = []
  /// The first error, if any (read after `done`).
  private(set) var error: Error?
  /// Signalled when the final batch has been handled.
  let done = DispatchSemaphore(value: 0)

  init(ring: SegmentRing, batches: BatchQueue, staged: StagedObjects) {
    self.ring = ring
    self.batches = batches
    self.staged = staged
  }

  func run() {
    while true {
      let batch = batches.pop()
      if error == nil && !ring.isAborted {
        do {
          for chunk in batch.chunks {
            let digest = StreamingHash.digest(of: chunk)
            chunks.append(Recipe.Chunk(digest: digest, size: Int64(chunk.count)))
            try staged.stageObject(chunk, digest: digest)
          }
        } catch {
          self.error = error
          ring.abort()
        }
      }
      for copy in batch.owned { copy.deallocate() }
      ring.free.signal()
      if batch.final { break }
    }
    done.signal()
  }
}
