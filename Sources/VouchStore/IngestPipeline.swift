import Foundation
import VouchCore

/// Streams one open file through three stages with bounded memory:
///
/// 1. the calling thread reads segments with `pread` into a ring of buffers and feeds the
///    whole-file SHA-256;
/// 2. a cutter thread finds chunk boundaries in the same segments (`ChunkSplitter`);
/// 3. a hasher thread hashes each chunk and stages the new ones, then frees the segment.
///
/// The decomposition is fixed (each stage sees the segments in order and does the same work
/// whatever the scheduling), and `ChunkSplitter` makes cuts independent of segment size, so the
/// digests, chunks and recipe never depend on thread timing or core count. Three stages keep two
/// cores busy: the whole-file hash, the gear loop and the chunk hashes cost about the same.
/// Memory: `slots × segmentSize` (24 MiB) plus a few straddling chunks.
struct IngestPipeline {
  /// Bytes per read.
  static let segmentSize = 4 << 20
  /// Buffers in the ring.
  static let slots = 6

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

  /// Reads exactly `size` bytes, chunking and staging them into `staged`.
  /// - Throws: `StoreError` (usage) when the file ends early (it shrank while being read), or
  ///   whatever staging a chunk threw.
  func run(
    staged: StagedObjects, progress: (@Sendable (Int64) -> Void)?
  ) throws -> Output {
    let ring = SegmentRing(slots: Self.slots, segmentSize: Self.segmentSize)
    let batches = BatchQueue()
    let cutter = ChunkCutter(
      ring: ring, splitter: ChunkSplitter(chunker: chunker, forcedCuts: forcedCuts),
      batches: batches)
    let hasher = ChunkHasher(ring: ring, batches: batches, staged: staged)
    for stage in [cutter.run, hasher.run] as [@Sendable () -> Void] {
      let thread = Thread(block: stage)
      thread.stackSize = 1 << 20
      thread.start()
    }
    var whole = StreamingHash()
    var offset: Int64 = 0
    var sequence = 0
    var failure: Error?
    repeat {
      ring.free.wait()
      let slot = sequence % Self.slots
      sequence += 1
      if ring.isAborted {
        // A later stage failed: hand on an empty final segment so every stage finishes.
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
      whole.update(UnsafeRawBufferPointer(start: ring.buffers[slot], count: got))
      offset += Int64(got)
      ring.lengths[slot] = got
      ring.finals[slot] = failure != nil || offset == size
      ring.ready.signal()
      progress?(offset)
    } while failure == nil && offset < size
    hasher.done.wait()
    if let failure { throw failure }
    if let error = hasher.error { throw error }
    return Output(digest: whole.finalize(), chunks: hasher.chunks)
  }
}

/// The buffers shared by the three stages, handed over by semaphores: the reader fills a slot
/// and signals `ready`; the cutter reads it; the hasher signals `free` when done with it.
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
  /// Counts filled slots (the cutter waits on it).
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
