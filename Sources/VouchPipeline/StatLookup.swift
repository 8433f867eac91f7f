import Foundation
import VouchCore
import VouchStore

/// The store's stat cache loaded in one query, answering "is this file still what vouch saw?"
/// without a database round trip per file, and collecting refreshed entries to write back in one
/// transaction (`flush`).
final class StatLookup {
  private let store: Store
  private var entries: [String: StatCacheEntry]
  private var pending: [(path: String, entry: StatCacheEntry)] = []

  /// Loads every entry of `store`'s stat cache.
  init(store: Store) throws {
    self.store = store
    entries = try store.statCacheEntries()
  }

  /// The digest remembered for `path` if `stat` still matches.
  func digest(forPath path: String, stat: FileStat) -> Digest? {
    guard let entry = entries[path], entry.stat == stat else { return nil }
    return entry.digest
  }

  /// Remembers `digest` for `path` at `stat` (written by ``flush()``).
  func record(path: String, stat: FileStat, digest: Digest) {
    let entry = StatCacheEntry(stat: stat, digest: digest)
    entries[path] = entry
    pending.append((path, entry))
  }

  /// Writes the recorded entries in one transaction.
  func flush() throws {
    try store.recordStats(pending)
    pending.removeAll()
  }
}
