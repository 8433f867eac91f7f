import Foundation
import VouchCore

/// The one error type of `VouchLineage`: git access, manifest schemas, pipelines and claims.
///
/// Every message is one line that says what is wrong and how to fix it; messages about a file
/// name the file and, where known, the line and the key.
public struct LineageError: VouchError, LocalizedError {
  /// Which exit status this error maps to.
  public let category: ErrorCategory
  /// What is wrong and how to fix it.
  public let message: String

  /// Creates an error with an explicit category.
  public init(category: ErrorCategory, message: String) {
    self.category = category
    self.message = message
  }

  public var errorDescription: String? { message }

  /// libgit2 reported a failure; `function` is the C function that failed.
  static func git(_ function: String, _ detail: String) -> LineageError {
    LineageError(category: .failure, message: "git: \(function) failed: \(detail)")
  }

  /// The directory is not inside a git repository, or the repository cannot be used.
  public static func repository(_ message: String) -> LineageError {
    LineageError(category: .usage, message: message)
  }

  /// A manifest or pipeline file is malformed. `location` is `file`, `file:line` or
  /// `file:line: key` and is put in front of `problem`.
  public static func invalidDocument(_ location: String, _ problem: String) -> LineageError {
    LineageError(category: .usage, message: "\(location): \(problem)")
  }

  /// A path in a pipeline or manifest is unsafe (absolute outside the workspace, or uses `..`).
  public static func unsafePath(_ location: String, _ path: String, _ why: String)
    -> LineageError
  {
    LineageError(
      category: .usage,
      message: "\(location): path '\(path)' \(why); use a relative path inside the workspace")
  }

  /// A path in a record (manifest, listing, lock, run record) is not in canonical relative form:
  /// an integrity failure, since vouch writes records itself and never writes such a path.
  public static func unsafeRecordedPath(_ location: String, _ path: String, _ why: String)
    -> LineageError
  {
    LineageError(
      category: .integrity,
      message: "\(location): \(RecordedPath.refusal(path, why))")
  }

  /// A machine-written document (artifact manifest, lock, run record) cannot be decoded: an
  /// integrity failure, since vouch writes these files itself. `location` is `file` or
  /// `file: key '…'`.
  public static func damagedDocument(_ location: String, _ problem: String) -> LineageError {
    LineageError(category: .integrity, message: "\(location): \(problem)")
  }

  /// A manifest's recorded state is inconsistent (a digest that does not match, say).
  public static func integrity(_ message: String) -> LineageError {
    LineageError(category: .integrity, message: message)
  }
}
