import Foundation

/// The store-wide reader/writer lock: Linux open-file-description locks (`F_OFD_SETLK`) on
/// `.vouch/lock`.
///
/// Byte 0 is the lock itself: ingest, materialize and check take it shared, gc and index repair
/// take it exclusive. A holder also read-locks byte `1 + pid`, so a waiter that times out can ask
/// the kernel (`F_OFD_GETLK`) for the first such byte and name the holder's pid — plain OFD locks
/// do not report one. OFD locks belong to an open file description, so two `Store` values in one
/// process exclude each other correctly, and the kernel drops them when the holder dies (SIGKILL
/// included): a lock can never be left behind.
struct StoreLock: Sendable {
  /// `.vouch/lock`.
  let path: String
  /// How long to wait for a conflicting holder before failing, in seconds.
  let timeout: Double

  /// Runs `body` while holding the lock in `kind` mode, waiting (polling) up to `timeout`.
  /// - Throws: `StoreError` in the `locked` category naming the holder's pid on timeout.
  func withLock<T>(
    _ kind: Sys.LockKind, for operation: String, _ body: () throws -> T
  ) throws -> T {
    let fd = try Sys.open(path, O_RDWR | O_CREAT)
    // Closing the description releases both locks.
    defer { Sys.close(fd) }
    try acquire(fd, kind, for: operation)
    _ = try Sys.tryLock(fd, .shared, start: 1 + Int64(Sys.pid), length: 1)
    return try body()
  }

  /// Runs `body` only if the lock can be taken in `kind` mode right now; returns `nil` otherwise.
  func withLockIfFree<T>(_ kind: Sys.LockKind, _ body: () throws -> T) throws -> T? {
    let fd = try Sys.open(path, O_RDWR | O_CREAT)
    defer { Sys.close(fd) }
    guard try Sys.tryLock(fd, kind, start: 0, length: 1) else { return nil }
    _ = try Sys.tryLock(fd, .shared, start: 1 + Int64(Sys.pid), length: 1)
    return try body()
  }

  private func acquire(_ fd: Int32, _ kind: Sys.LockKind, for operation: String) throws {
    let start = Date()
    var pause = 5
    while !(try Sys.tryLock(fd, kind, start: 0, length: 1)) {
      let waited = Date().timeIntervalSince(start)
      if waited >= timeout {
        let holder = Sys.firstConflictingLock(fd, start: 1).map { "process \($0 - 1)" }
        throw StoreError.locked(
          "cannot \(operation): the store is locked by \(holder ?? "another process");"
            + " waited \(Self.format(timeout)) s; let it finish (or stop it) and retry,"
            + " or set VOUCH_LOCK_TIMEOUT=<seconds> to wait longer")
      }
      Sys.sleep(milliseconds: min(pause, Int(max(1, (timeout - waited) * 1000))))
      pause = min(pause * 2, 100)
    }
  }

  private static func format(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
  }
}
