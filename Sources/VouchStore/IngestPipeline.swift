import Foundation
import VouchCore

/// Streams one open file through two threads with bounded memory: the calling thread reads
/// segments with `pread` into a small ring of buffers and feeds the whole-file SHA-256; a worker
/// thread cuts the same segments into chunks, hashes each chunk and stages new ones.
///
/// The decomposition is fixed (whole-file hash on one thread, chunking on the other, segments in
/// order), and `ChunkSplitter` makes cuts independent of segment size, so the digests, chunks
/// and recipe never depend on scheduling. Memory: `slots × segmentSize` (16 MiB) plus one chunk.
struct IngestPipeline {
  /// Bytes per read.
  static let segmentSize = 4 << 20
  /// Buffers in the ring.
  static let slots = 4

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
  /// - Throws: `StoreError` (usage) when the file ends early (it shrank while being read).
  func run(
    staged: StagedObjects, progress: (@Sendable (Int64) -> Void)?
  ) throws -> Output {
    let ring = SegmentRing(slots: Self.slots, segmentSize: Self.segmentSize)
    let worker = ChunkWorker(
      ring: ring, splitter: ChunkSplitter(chunker: chunker, forcedCuts: forcedCuts),
      staged: staged)
    let thread = Thread { worker.run() }
    thread.stackSize = 1 << 20
    thread.start()
    var hasher = StreamingHash()
    var offset: Int64 = 0
    var sequence = 0
    var failure: Error?
    repeat {
      ring.free.wait()
      let slot = sequence % Self.slots
      let want = Int(min(Int64(Self.segmentSize), size - offset))
      var got = 0
      do {
        got = try Sys.preadFully(fd, ring.buffers[slot], count: want, offset: offset, path: path)
        if got < want {
          throw StoreError.usage(
            "\(path) shrank while it was being read; wait until nothing writes to it and retry")
        }
      } catch {
        failure = error
        ring.abort()
      }
      hasher.update(UnsafeRawBufferPointer(start: ring.buffers[slot], count: got))
      offset += Int64(got)
      ring.lengths[slot] = got
      ring.finals[slot] = failure != nil || offset == size
      ring.ready.signal()
      sequence += 1
      progress?(offset)
    } while failure == nil && offset < size
    worker.done.wait()
    if let failure { throw failure }
    if let error = worker.error { throw error }
    return Output(digest: hasher.finalize(), chunks: worker.chunks)
  }
}

/// The buffers shared by the reader and the chunk worker, handed over by semaphores.
final class SegmentRing: @unchecked Sendable {
  /// One buffer per slot.
  let buffers: [UnsafeMutableRawPointer]
  /// Valid bytes per slot.
  var lengths: [Int]
  /// Whether a slot holds the last segment.
  var finals: [Bool]
  /// Counts free slots (the reader waits on it).
  let free: DispatchSemaphore
  /// Counts filled slots (the worker waits on it).
  let ready = DispatchSemaphore(value: 0)
  private let flag = NSLock()
  private var aborted = false

  init(slots: Int, segmentSize: Int) {
    buffers = (0..<slots).map { _ in
      UnsafeMutableRawPointer.allocate(byteCount: segmentSize, alignment: 4096)
    }
    lengths = Array(repeating: 0, count: slots)
    finals = Array(repeating: false, count: slots)
    free = DispatchSemaphore(value: slots)
  }

  deinit { for buffer in buffers { buffer.deallocate() } }

  /// Tells the other side to stop consuming.
  func abort() {
    flag.lock()
    aborted = true
    flag.unlock()
  }

  /// Whether either side gave up.
  var isAborted: Bool {
    flag.lock()
    defer { flag.unlock() }
    return aborted
  }
}

/// The worker side: chunking, chunk hashing and staging.
final class ChunkWorker: @unchecked Sendable {
  private let ring: SegmentRing
  private let splitter: ChunkSplitter
  private let staged: StagedObjects
  /// Chunks found so far (read after `done`).
  private(set) var chunks: [Recipe.Chunk] = []
  /// The first error, if any (read after `done`).
  private(set) var error: Error?
  /// Signalled when the worker has consumed the final segment.
  let done = DispatchSemaphore(value: 0)

  init(ring: SegmentRing, splitter: ChunkSplitter, staged: StagedObjects) {
    self.ring = ring
    self.splitter = splitter
    self.staged = staged
  }

  func run() {
    var sequence = 0
    while true {
      ring.ready.wait()
      let slot = sequence % ring.buffers.count
      let final = ring.finals[slot]
      if error == nil && !ring.isAborted {
        do {
          let segment = UnsafeRawBufferPointer(start: ring.buffers[slot], count: ring.lengths[slot])
          try splitter.feed(segment, final: final) { chunk in
            let digest = StreamingHash.digest(of: chunk)
            chunks.append(Recipe.Chunk(digest: digest, size: Int64(chunk.count)))
            try staged.stageObject(chunk, digest: digest)
          }
        } catch {
          self.error = error
          ring.abort()
        }
      }
      ring.free.signal()
      sequence += 1
      if final { break }
    }
    done.signal()
  }
}
