import Foundation
import VouchCore

/// Checks whether an open file holds exactly the content a stored recipe describes, chunk by
/// chunk at the recipe's boundaries, on both cores, stopping at the first difference.
///
/// Why this is enough: a recipe is written only for bytes whose whole-file SHA-256 is its name
/// (by ingest, or by fetch after re-assembling them), and `vouch check` re-verifies that. A
/// file whose every chunk has the recipe's SHA-256 at the recipe's offsets therefore has the
/// recipe's bytes, so its whole-file digest is the recipe's name — without a second, sequential
/// SHA-256 pass or the chunker's gear loop. This makes re-adding (after `touch`, a checkout or a
/// rewrite of identical bytes) and `status` of large, stat-changed files about twice as fast
/// as hashing them, and a changed file is usually told apart after reading part of it.
///
/// Fixed decomposition: the chunks are split at the first one that starts at or past half the
/// file; the calling thread checks the first run and one helper thread the second, each in
/// order, reading whole chunks in batches of about `batchSize` bytes. Only how much is read
/// depends on timing (a run stops once either finds a difference); the answer does not.
struct RecipeMatch {
  let fd: Int32
  let path: String
  let recipe: Recipe
  /// Bytes read per `pread` (whole chunks; a larger chunk is read alone).
  var batchSize = 4 << 20

  /// Whether the file's bytes are the recipe's, given that its size is the recipe's size.
  /// - Parameter progress: called with the bytes checked so far (from either thread).
  /// - Returns: `true` when every chunk has the recipe's digest, `false` at the first that
  ///   does not (or when the file ends early).
  /// - Throws: `StoreError` when the file cannot be read.
  func matches(progress: (@Sendable (Int64) -> Void)? = nil) throws -> Bool {
    let chunks = recipe.chunks
    var offsets = [Int64]()
    offsets.reserveCapacity(chunks.count + 1)
    var offset: Int64 = 0
    for chunk in chunks {
      offsets.append(offset)
      offset += chunk.size
    }
    offsets.append(offset)
    guard offset == recipe.size else { return false }
    let split = offsets.firstIndex { $0 >= recipe.size / 2 } ?? chunks.count
    let state = SharedState(progress: progress)
    let second = RunChecker(
      fd: fd, path: path, chunks: chunks, offsets: offsets, range: split..<chunks.count,
      batchSize: batchSize, state: state)
    let helper = Thread { second.run() }
    helper.stackSize = 1 << 20
    helper.start()
    let first = RunChecker(
      fd: fd, path: path, chunks: chunks, offsets: offsets, range: 0..<split,
      batchSize: batchSize, state: state)
    first.run()
    second.finished.wait()
    return try state.result()
  }

  /// What both threads share: the first difference or error, and the progress total.
  final class SharedState: @unchecked Sendable {
    private let lock = NSLock()
    private var differs = false
    private var error: Error?
    private var checked: Int64 = 0
    private let progress: (@Sendable (Int64) -> Void)?

    init(progress: (@Sendable (Int64) -> Void)?) { self.progress = progress }

    /// Whether either run has found a difference or failed (the other then stops early).
    var isSettled: Bool { lock.withLock { differs || error != nil } }

    func markDifferent() { lock.withLock { differs = true } }

    func fail(_ failure: Error) { lock.withLock { if error == nil { error = failure } } }

    func advance(by bytes: Int64) {
      guard let progress else { return }
      progress(
        lock.withLock { () -> Int64 in
          checked += bytes
          return checked
        })
    }

    /// Throws a read error; otherwise whether every chunk matched.
    func result() throws -> Bool {
      try lock.withLock {
        if let error { throw error }
        return !differs
      }
    }
  }

  /// One thread's run of consecutive chunks.
  final class RunChecker: @unchecked Sendable {
    let fd: Int32
    let path: String
    let chunks: [Recipe.Chunk]
    let offsets: [Int64]
    let range: Range<Int>
    let batchSize: Int
    let state: SharedState
    /// Signalled when `run` returns.
    let finished = DispatchSemaphore(value: 0)

    init(
      fd: Int32, path: String, chunks: [Recipe.Chunk], offsets: [Int64], range: Range<Int>,
      batchSize: Int, state: SharedState
    ) {
      (self.fd, self.path, self.chunks, self.offsets, self.range) =
        (fd, path, chunks, offsets, range)
      (self.batchSize, self.state) = (batchSize, state)
    }

    func run() {
      defer { finished.signal() }
      do {
        if try !checkAll() { state.markDifferent() }
      } catch {
        state.fail(error)
      }
    }

    /// Reads and hashes the run in batches of whole chunks; `false` at the first mismatch.
    private func checkAll() throws -> Bool {
      guard !range.isEmpty else { return true }
      let largest = chunks[range].lazy.map(\.size).max() ?? 0
      let capacity = max(batchSize, Int(largest))
      let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 4096)
      defer { buffer.deallocate() }
      var next = range.lowerBound
      while next < range.upperBound {
        if state.isSettled { return true }
        // Whole chunks up to the batch size (at least one).
        var end = next + 1
        while end < range.upperBound, offsets[end + 1] - offsets[next] <= Int64(capacity) {
          end += 1
        }
        let count = Int(offsets[end] - offsets[next])
        let got = try Sys.preadFully(fd, buffer, count: count, offset: offsets[next], path: path)
        guard got == count else { return false }
        for index in next..<end {
          let start = buffer + Int(offsets[index] - offsets[next])
          let bytes = UnsafeRawBufferPointer(start: start, count: Int(chunks[index].size))
          if StreamingHash.digest(of: bytes) != chunks[index].digest { return false }
        }
        state.advance(by: Int64(count))
        next = end
      }
      return true
    }
  }
}
