import Foundation
import VouchCore

/// Streams one open file through two stages with bounded memory:
///
/// 1. the calling thread reads segments with `pread` into a ring of buffers, finds the chunk
///    boundaries (`ChunkSplitter`) and hashes four chunks in five while the segment's bytes are
///    still in the core's L2 cache;
/// 2. a chunk thread feeds the whole-file SHA-256, hashes the remaining chunks, stages the new
///    ones and frees the segment.
///
/// Measured (perf, per thread), the split balances the two cores within a few percent, with
/// one hand-off per segment; who hashes which chunk is a fixed rule on its index
/// (`ChunkBatches.readerHashes`).
///
/// The decomposition is fixed (each stage sees the segments in order and does the same work
/// whatever the scheduling), and `ChunkSplitter` makes cuts independent of segment size, so the
/// digests, chunks and recipe never depend on thread timing or core count.
/// Memory: `slots × segmentSize` (4 MiB) plus the splitter's carry buffer.
struct IngestPipeline {
  /// Bytes per read.
  static let segmentSize = 512 << 10
  /// Buffers in the ring.
  static let slots = 8
  /// Progress is reported about this often (bytes), and at the end.
  static let progressStep: Int64 = 8 << 20

  /// What streaming produced.
  struct Output {
    /// SHA-256 of everything read.
    var digest: Digest
    /// The chunks in order.
    var chunks: [Recipe.Chunk]
  }

  let fd: Int32
  let path: String
  let size: Int64
  let chunker: Chunker
  let forcedCuts: [Int64]

  /// Reads exactly `size` bytes, chunking and staging them into `staged` (or only chunking
  /// them when `staged` is `nil`).
  /// - Throws: `StoreError` (usage) when the file ends early (it shrank while being read), or
  ///   whatever staging a chunk threw.
  func run(
    staged: StagedObjects?, progress: (@Sendable (Int64) -> Void)?
  ) throws -> Output {
    let ring = SegmentRing(slots: Self.slots, segmentSize: Self.segmentSize)
    let batches = ChunkBatches(slots: Self.slots, maximumChunk: chunker.parameters.maximumSize)
    let splitter = ChunkSplitter(chunker: chunker, forcedCuts: forcedCuts)
    let worker = ChunkWorker(ring: ring, batches: batches, staged: staged)
    let thread = Thread(block: worker.run)
    thread.stackSize = 1 << 20
    thread.start()
    var offset: Int64 = 0
    var reported: Int64 = 0
    var sequence = 0
    var failure: Error?
    repeat {
      ring.free.wait()
      let slot = sequence % Self.slots
      sequence += 1
      if ring.isAborted {
        // The chunk thread failed: hand on an empty final segment so it finishes.
        ring.lengths[slot] = 0
        ring.finals[slot] = true
        ring.ready.signal()
        break
      }
      let want = Int(min(Int64(Self.segmentSize), size - offset))
      var got = 0
      do {
        got = try Sys.preadFully(fd, ring.buffers[slot], count: want, offset: offset, path: path)
        if got < want {
          throw StoreError.usage(
            "\(path) changed while it was being added (it shrank); wait until nothing writes to"
              + " it and retry")
        }
      } catch {
        failure = error
        ring.abort()
      }
      let segment = UnsafeRawBufferPointer(start: ring.buffers[slot], count: got)
      offset += Int64(got)
      ring.lengths[slot] = got
      ring.finals[slot] = failure != nil || offset == size
      batches.fill(
        slot, from: segment, splitter: splitter, final: ring.finals[slot],
        hashes: ChunkBatches.readerHashes)
      ring.ready.signal()
      if let progress, offset - reported >= Self.progressStep || offset == size {
        reported = offset
        progress(offset)
      }
    } while failure == nil && offset < size
    worker.done.wait()
    if let failure { throw failure }
    if let error = worker.error { throw error }
    return Output(digest: worker.whole.finalize(), chunks: worker.chunks)
  }
}

/// The buffers shared by two stages, handed over by semaphores: the producer fills a slot and
/// signals `ready`; the consumer signals `free` when done with it.
final class SegmentRing: @unchecked Sendable {
  /// One buffer per slot.
  let buffers: [UnsafeMutableRawPointer]
  /// Valid bytes per slot. Raw storage: each stage touches only the slot it owns at the time
  /// (handed over by the semaphores), which an Array's copy-on-write check would not respect.
  let lengths: UnsafeMutablePointer<Int>
  /// Whether a slot holds the last segment (raw storage, as `lengths`).
  let finals: UnsafeMutablePointer<Bool>
  /// Counts free slots (the reader waits on it).
  let free: DispatchSemaphore
  /// Counts filled slots (the consumer waits on it).
  let ready = DispatchSemaphore(value: 0)
  private let flag = NSLock()
  private var aborted = false

  /// `slots` buffers of `segmentSize` bytes.
  init(slots: Int, segmentSize: Int) {
    buffers = (0..<slots).map { _ in
      UnsafeMutableRawPointer.allocate(byteCount: segmentSize, alignment: 4096)
    }
    lengths = .allocate(capacity: slots)
    lengths.initialize(repeating: 0, count: slots)
    finals = .allocate(capacity: slots)
    finals.initialize(repeating: false, count: slots)
    free = DispatchSemaphore(value: slots)
  }

  deinit {
    for buffer in buffers { buffer.deallocate() }
    lengths.deallocate()
    finals.deallocate()
  }

  /// Tells every stage to stop working (they keep handing slots on until the final one).
  func abort() {
    flag.lock()
    aborted = true
    flag.unlock()
  }

  /// Whether a stage gave up.
  var isAborted: Bool {
    flag.lock()
    defer { flag.unlock() }
    return aborted
  }
}
