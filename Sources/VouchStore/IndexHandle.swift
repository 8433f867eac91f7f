import Foundation

/// Holds the store's `StoreIndex`, opened on first use and replaced by `repairIndex()`.
///
/// Opening lazily lets `Store.open` succeed over a damaged `index.sqlite`, so `vouch check
/// --repair-index` can run; every other use throws the "run repair" error until then.
final class IndexHandle: @unchecked Sendable {
  /// The database file.
  let path: String
  private let lock = NSLock()
  private var index: StoreIndex?

  /// A handle for the index at `path` (not opened yet).
  init(path: String) { self.path = path }

  /// The open index, opening it if needed.
  /// - Throws: `StoreError.corruptIndex` when the file is unreadable.
  func get() throws -> StoreIndex {
    lock.lock()
    defer { lock.unlock() }
    if let index { return index }
    let opened = try StoreIndex(path: path)
    index = opened
    return opened
  }

  /// Closes the index, runs `body` (which may delete and rebuild the file), and reopens it.
  func replace(_ body: () throws -> Void) throws -> StoreIndex {
    lock.lock()
    defer { lock.unlock() }
    if let index { try? index.queue.close() }
    index = nil
    try body()
    let opened = try StoreIndex(path: path)
    index = opened
    return opened
  }
}
