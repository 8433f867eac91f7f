import Foundation
import VouchCore

/// The one error type of `VouchStore`: a category (the CLI's exit status) and a one-line message
/// that says what is wrong and how to fix it.
public struct StoreError: VouchError, LocalizedError {
  /// Which exit status this error maps to.
  public let category: ErrorCategory
  /// One line: what is wrong and how to fix it.
  public let message: String
  /// The damaged object or recipe that was moved to `quarantine/` when this error was found, if
  /// any: the store now lacks it, so fetching it again can heal the damage.
  public internal(set) var quarantined: Digest?

  /// Creates an error; prefer the named constructors below.
  public init(category: ErrorCategory, message: String) {
    self.category = category
    self.message = message
  }

  /// The message, so `LocalizedError` printers (ArgumentParser) show it.
  public var errorDescription: String? { message }

  /// The part of the message before its remedy (`…; run vouch check …`): what is wrong, for
  /// callers that give their own remedy.
  var problem: String { String(message.prefix { $0 != ";" }) }

  /// Bad input the user can fix by changing the command.
  static func usage(_ message: String) -> StoreError {
    StoreError(category: .usage, message: message)
  }

  /// Stored bytes do not hash to their name, or something they need is missing.
  static func integrity(_ message: String) -> StoreError {
    StoreError(category: .integrity, message: message)
  }

  /// A lock could not be taken before its timeout.
  static func locked(_ message: String) -> StoreError {
    StoreError(category: .locked, message: message)
  }

  /// No store where one was expected.
  static func noWorkspace(_ message: String) -> StoreError {
    StoreError(category: .noWorkspace, message: message)
  }

  /// Anything else (I/O errors, the filesystem refusing an operation).
  static func failure(_ message: String) -> StoreError {
    StoreError(category: .failure, message: message)
  }

  /// A system call failed with `errno`; `what` names the operation and the path.
  static func system(_ what: String, errno code: Int32 = errno) -> StoreError {
    let reason = String(cString: strerror(code))
    switch code {
    case EACCES, EPERM:
      return .usage("cannot \(what): \(reason); check the file's permissions")
    case ENOENT:
      return .usage("cannot \(what): \(reason); check that the path exists")
    case EROFS:
      return .usage("cannot \(what): \(reason); run it where the filesystem is writable")
    case ENOSPC, EDQUOT:
      return .failure("cannot \(what): \(reason); free some disk space and retry")
    default:
      return .failure("cannot \(what): \(reason)")
    }
  }

  /// A symlink stands on the way to a file vouch would read or write: refused, because it could
  /// lead outside the workspace.
  public static func symlinkRefused(_ shownAs: String) -> StoreError {
    .integrity(
      "'\(shownAs)' is a symlink, and vouch never reads or writes through a symlink (it could "
        + "lead outside the workspace); remove it and run the command again")
  }

  /// The SQLite index is unreadable.
  static func corruptIndex(_ path: String, _ detail: String) -> StoreError {
    .integrity(
      "the store index \(path) is unreadable (\(detail)); run `vouch check --repair-index`"
        + " to rebuild it from the objects")
  }
}
