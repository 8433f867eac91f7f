import Foundation
import VouchCore
import VouchStore

/// The store's stat cache loaded in one query, answering "is this file still what vouch saw?"
/// without a database round trip per file, and collecting refreshed entries to write back in one
/// transaction (`flush`).
///
/// The query runs on its own thread from `init`, so on a folder of thousands of files it overlaps
/// with reading the manifests and walking the workspace; the first lookup waits for it.
final class StatLookup: @unchecked Sendable {
  private let store: Store
  /// Written once by the loading thread before `loaded` is signalled, read only after waiting.
  private var entries: [String: StatCacheEntry] = [:]
  private var loadError: Error?
  private let loaded = DispatchSemaphore(value: 0)
  private var isLoaded = false
  private var pending: [(path: String, entry: StatCacheEntry)] = []

  /// Starts loading every entry of `store`'s stat cache.
  init(store: Store) {
    self.store = store
    let thread = Thread { [self] in
      do { entries = try store.statCacheEntries() } catch { loadError = error }
      loaded.signal()
    }
    thread.stackSize = 1 << 20
    thread.start()
  }

  /// The digest remembered for `path` if `stat` still matches.
  /// - Throws: `StoreError` when the index could not be read.
  func digest(forPath path: String, stat: FileStat) throws -> Digest? {
    try waitUntilLoaded()
    guard let entry = entries[path], entry.stat == stat else { return nil }
    return entry.digest
  }

  /// The digest last remembered for `path`, whatever its stat was then: what a file whose stat
  /// changed most likely still holds (it was touched, checked out or rewritten identically).
  /// - Throws: `StoreError` when the index could not be read.
  func lastDigest(forPath path: String) throws -> Digest? {
    try waitUntilLoaded()
    return entries[path]?.digest
  }

  /// Remembers `digest` for `path` at `stat` (written by ``flush()``).
  func record(path: String, stat: FileStat, digest: Digest) throws {
    try waitUntilLoaded()
    let entry = StatCacheEntry(stat: stat, digest: digest)
    entries[path] = entry
    pending.append((path, entry))
  }

  /// Writes the recorded entries in one transaction.
  func flush() throws {
    try waitUntilLoaded()
    try store.recordStats(pending)
    pending.removeAll()
  }

  private func waitUntilLoaded() throws {
    if !isLoaded {
      loaded.wait()
      isLoaded = true
    }
    if let loadError { throw loadError }
  }
}
