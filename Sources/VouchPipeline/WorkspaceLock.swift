import Foundation
import VouchCore
import VouchStore

/// An advisory lock (`flock`) on a file under `.vouch/`.
///
/// Two are used: `edit.lock` (exclusive) serialises edits of the files vouch shares with the user,
/// `.gitignore` and the manifests; `gc.lock` is held shared by every `add` from its first stored
/// byte to its manifest, and exclusively by `gc`, so gc never deletes objects whose manifest is
/// about to be written.
///
/// It waits rather than fails: `acquire` polls until `timeout`, then throws a `locked` error naming
/// the pid written into the lock file by the holder. The kernel releases it if the holder dies.
public final class WorkspaceLock {
  private let descriptor: Int32

  /// Runs `body` while holding the lock at `url`, exclusively or `shared`.
  public static func withLock<T>(at url: URL, shared: Bool = false, _ body: () throws -> T) throws
    -> T
  {
    let lock = try WorkspaceLock(at: url, shared: shared)
    return try withExtendedLifetime(lock) { try body() }
  }

  /// Seconds to wait for the lock: `$VOUCH_LOCK_TIMEOUT` (see `LockTimeout`), else 120.
  /// - Throws: `StoreError` (usage) when `VOUCH_LOCK_TIMEOUT` is not a number of seconds.
  public static var defaultTimeout: Double {
    get throws { try LockTimeout.fromEnvironment() ?? 120 }
  }

  /// Takes the lock at `url`, waiting up to `timeout` seconds (``defaultTimeout`` when `nil`).
  /// - Throws: `PipelineError` with category `locked` when the wait times out; `StoreError`
  ///   (usage) when `VOUCH_LOCK_TIMEOUT` is not a number of seconds.
  public init(at url: URL, shared: Bool = false, timeout: Double? = nil) throws {
    let timeout = try timeout ?? Self.defaultTimeout
    let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw PipelineError.failure(
        "cannot open the lock file \(url.path): \(String(cString: strerror(errno))); check the permissions of .vouch/"
      )
    }
    let deadline = Date().addingTimeInterval(timeout)
    var delay: UInt32 = 1_000
    while flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0 {
      guard Date() < deadline else {
        let holder = Self.holder(fd)
        close(fd)
        throw PipelineError(
          .locked,
          "the workspace is locked by vouch \(holder) (\(url.lastPathComponent)); wait for it to finish, or raise VOUCH_LOCK_TIMEOUT"
        )
      }
      usleep(delay)
      delay = min(delay * 2, 50_000)
    }
    if !shared {
      let pid = Data("\(getpid())\n".utf8)
      _ = ftruncate(fd, 0)
      _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, pid.count, 0) }
    }
    descriptor = fd
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }

  private static func holder(_ fd: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 32)
    let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 32, 0) }
    let text = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
    let pid = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return pid.isEmpty ? "(unknown pid)" : "pid \(pid)"
  }
}
