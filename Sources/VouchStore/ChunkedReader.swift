import Foundation
import VouchCore

/// Reads and verifies the chunks of a recipe on a helper thread while the caller hashes the
/// whole file and consumes the bytes — two SHA-256 streams on two cores.
///
/// The helper packs consecutive chunks into a ring of buffers (each chunk re-hashed as it is
/// read); the caller takes the buffers in order. Memory: `slots × max(4 MiB, largest chunk)`.
struct ChunkedReader {
  /// Buffers in the ring.
  static let slots = 4

  let store: Store
  let recipe: Recipe

  /// Streams the file's bytes to `body` in order; throws on the first missing or corrupt chunk
  /// and when the whole does not hash to the recipe's name.
  func stream(
    progress: (@Sendable (Int64) -> Void)?, into body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let largest = Int(recipe.chunks.map(\.size).max() ?? 0)
    let ring = SegmentRing(slots: Self.slots, segmentSize: max(4 << 20, largest))
    let capacity = max(4 << 20, largest)
    let helper = Helper(store: store, recipe: recipe, ring: ring, capacity: capacity)
    let thread = Thread(block: helper.run)
    thread.stackSize = 1 << 20
    thread.start()
    var whole = StreamingHash()
    var failure: Error?
    var done: Int64 = 0
    var sequence = 0
    while true {
      ring.ready.wait()
      let slot = sequence % Self.slots
      sequence += 1
      let final = ring.finals[slot]
      if failure == nil && !ring.isAborted {
        let bytes = UnsafeRawBufferPointer(start: ring.buffers[slot], count: ring.lengths[slot])
        whole.update(bytes)
        do {
          try body(bytes)
          done += Int64(bytes.count)
          progress?(done)
        } catch {
          failure = error
          ring.abort()
        }
      }
      ring.free.signal()
      if final { break }
    }
    helper.done.wait()
    if let failure { throw failure }
    if let error = helper.error { throw error }
    let actual = whole.finalize()
    guard actual == recipe.digest else {
      // Every chunk hashed right, so the recipe lists the wrong ones: it is the damaged part.
      store.quarantine(store.recipePath(recipe.digest), digest: recipe.digest)
      throw Store.quarantined("recipe", recipe.digest, actual: actual)
    }
  }

  /// The helper thread: fills slots with verified chunks.
  final class Helper: @unchecked Sendable {
    private let store: Store
    private let recipe: Recipe
    private let ring: SegmentRing
    private let capacity: Int
    /// Finds chunks that live inside adopted whole objects (`vouch add --link`).
    private let packed: PackedChunks
    /// The first error (read after `done`).
    private(set) var error: Error?
    /// Signalled when the final slot has been handed over.
    let done = DispatchSemaphore(value: 0)

    init(store: Store, recipe: Recipe, ring: SegmentRing, capacity: Int) {
      self.store = store
      self.recipe = recipe
      self.ring = ring
      self.capacity = capacity
      packed = .indexed(store)
    }

    func run() {
      var index = 0
      var sequence = 0
      repeat {
        ring.free.wait()
        let slot = sequence % ChunkedReader.slots
        sequence += 1
        var filled = 0
        while error == nil, !ring.isAborted, index < recipe.chunks.count,
          filled + Int(recipe.chunks[index].size) <= capacity
        {
          do {
            _ = try store.readChunk(
              recipe.chunks[index], into: ring.buffers[slot] + filled, of: recipe.digest,
              packed: packed)
            filled += Int(recipe.chunks[index].size)
            index += 1
          } catch {
            self.error = error
          }
        }
        let final = error != nil || ring.isAborted || index == recipe.chunks.count
        ring.lengths[slot] = error == nil ? filled : 0
        ring.finals[slot] = final
        ring.ready.signal()
        if final { break }
      } while true
      done.signal()
    }
  }
}
