import Foundation
import VouchCore

/// The chunk stage of `IngestPipeline`: finds chunk boundaries in each segment, hashes each
/// chunk, stages the new ones, and frees the segment.
///
/// Cutting and hashing on one thread means a chunk is hashed straight from the segment (or,
/// when it straddles two segments, from the splitter's carry buffer) while its bytes are still
/// in cache, with no queue and no copy between the two.
final class ChunkWorker: @unchecked Sendable {
  private let ring: SegmentRing
  private let splitter: ChunkSplitter
  /// Where new chunks go; `nil` when adopting the whole file (`--link`), which writes none.
  private let staged: StagedObjects?
  /// Chunks found so far (read after `done`).
  private(set) var chunks: [Recipe.Chunk] = []
  /// The first error, if any (read after `done`).
  private(set) var error: Error?
  /// Signalled when the final segment has been handled.
  let done = DispatchSemaphore(value: 0)

  /// A worker taking segments from `ring`, cutting with `splitter`, staging into `staged`.
  init(ring: SegmentRing, splitter: ChunkSplitter, staged: StagedObjects?) {
    self.ring = ring
    self.splitter = splitter
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
        let segment = UnsafeRawBufferPointer(
          start: UnsafeRawPointer(ring.buffers[slot]), count: ring.lengths[slot])
        do {
          try splitter.feed(segment, final: final) { chunk in
            let digest = StreamingHash.digest(of: chunk)
            chunks.append(Recipe.Chunk(digest: digest, size: Int64(chunk.count)))
            try staged?.stageObject(chunk, digest: digest)
          }
        } catch {
          self.error = error
          ring.abort()
        }
      }
      ring.free.signal()
      if final { break }
    }
    done.signal()
  }
}
