import Foundation

/// The lock of a filesystem remote: an advisory `flock` on its marker, `vouch-remote.json`.
///
/// Pushes and `remote check` hold it shared for as long as they work on the remote; whoever
/// holds it exclusively knows that no push is live, so every file in `tmp/` is a leftover of a
/// killed push and may be removed, and no push counted an object as present that is about to be
/// deleted. Opening the remote tries it exclusively without waiting (and cleans `tmp/` when it
/// gets it); `remote gc` waits for it. The marker doubles as the lock file because it always
/// exists, git tracks it (a remote committed to git gains no untracked file) and `flock` never
/// changes its bytes, so `tmp/` holds nothing but writes in progress. The kernel drops the lock
/// when its holder dies, SIGKILL included.
///
/// Best effort: on a remote where the marker cannot be opened or locked (a read-only mount,
/// a filesystem without locks) the work runs unlocked; nothing can then be removed from it.
struct RemoteLock: Sendable {
  /// The marker's path.
  let path: String
  /// The remote, for messages.
  let location: String
  /// How long to wait for a conflicting holder before failing, in seconds.
  let timeout: Double

  /// Runs `body` while holding the lock in `kind` mode, waiting (polling) up to `timeout`;
  /// unlocked when the lock cannot be taken at all.
  /// - Throws: `StoreError` (locked) on timeout; rethrows `body`'s errors.
  func withLock<T>(
    _ kind: Sys.LockKind, for operation: String, _ body: () throws -> T
  ) throws -> T {
    guard let fd = openLockFile() else { return try body() }
    // Closing the description releases the lock.
    defer { Sys.close(fd) }
    let start = Date()
    var pause = 5
    while Sys.tryFlock(fd, kind) == false {
      let waited = Date().timeIntervalSince(start)
      if waited >= timeout {
        let holder =
          kind == .shared
          ? "a `vouch remote gc` is running on it"
          : "another vouch process is pushing to or checking it"
        throw StoreError.locked(
          "cannot \(operation): \(holder) (it holds \(FilesystemRemote.markerName) locked);"
            + " waited \(Self.format(timeout)) s; let it finish and retry, or set"
            + " VOUCH_LOCK_TIMEOUT=<seconds> to wait longer")
      }
      Sys.sleep(milliseconds: min(pause, Int(max(1, (timeout - waited) * 1000))))
      pause = min(pause * 2, 100)
    }
    return try body()
  }

  /// Runs `body` only if the lock can be taken in `kind` mode right now; returns `nil` when it
  /// is busy or cannot be taken at all.
  func withLockIfFree<T>(_ kind: Sys.LockKind, _ body: () throws -> T) rethrows -> T? {
    guard let fd = openLockFile() else { return nil }
    defer { Sys.close(fd) }
    guard Sys.tryFlock(fd, kind) == true else { return nil }
    return try body()
  }

  /// The marker opened for writing (NFS grants exclusive locks only then), else for reading;
  /// `nil` when it cannot be opened at all.
  private func openLockFile() -> Int32? {
    if let fd = try? Sys.open(path, O_RDWR) { return fd }
    return try? Sys.open(path, O_RDONLY)
  }

  private static func format(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
  }
}
