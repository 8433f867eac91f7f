/// What kind of failure an error is; the CLI maps each category to a fixed exit status.
///
/// Every module's error type (`StoreError`, `LineageError`, `PipelineError`, …) conforms to
/// ``VouchError`` and names its category, so the exit status does not depend on which module failed.
public struct ErrorCategory: Hashable, Sendable, CustomStringConvertible {
  private enum Kind: String, Hashable, Sendable {
    case failure, usage, noWorkspace, locked, integrity, mismatch, outOfDate
  }
  private let kind: Kind

  /// Anything not covered below (exit status 1).
  public static let failure = ErrorCategory(kind: .failure)
  /// Bad arguments or bad input the user can fix by changing the command (exit status 64).
  public static let usage = ErrorCategory(kind: .usage)
  /// No `.vouch/` workspace here or above (exit status 10).
  public static let noWorkspace = ErrorCategory(kind: .noWorkspace)
  /// A lock could not be taken before its timeout (exit status 11).
  public static let locked = ErrorCategory(kind: .locked)
  /// Stored bytes do not hash to their name, or something they need is missing (exit status 12).
  public static let integrity = ErrorCategory(kind: .integrity)
  /// A rerun did not reproduce a recorded output or claim (exit status 13).
  public static let mismatch = ErrorCategory(kind: .mismatch)
  /// A lock does not describe its pipeline file any more: a stage's command, parameters, seed,
  /// inputs, outputs or claim definitions changed, or a stage never ran (exit status 14).
  public static let outOfDate = ErrorCategory(kind: .outOfDate)

  public var description: String { kind.rawValue }
}

/// The shared shape of vouch's errors: a category for the exit status and a one-line message that
/// says what happened and how to fix it.
public protocol VouchError: Error, CustomStringConvertible, Sendable {
  /// Which exit status this error maps to.
  var category: ErrorCategory { get }
  /// One line: what is wrong and how to fix it.
  var message: String { get }
}

extension VouchError {
  public var description: String { message }
}
