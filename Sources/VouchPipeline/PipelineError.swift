import Foundation
import VouchCore

/// Errors raised by `VouchPipeline`: the workspace, its paths and the artifact operations.
///
/// Every message is one line saying what is wrong and how to fix it; ``category`` picks the exit
/// status (see `ExitStatus` in `VouchCommands`).
public struct PipelineError: VouchError, LocalizedError {
  /// Which exit status this error maps to.
  public let category: ErrorCategory
  /// What is wrong and how to fix it.
  public let message: String

  /// Creates an error of `category`.
  public init(_ category: ErrorCategory, _ message: String) {
    self.category = category
    self.message = message
  }

  public var errorDescription: String? { message }

  /// No `.vouch/` in the directory or any parent.
  public static func noWorkspace(from directory: String) -> PipelineError {
    PipelineError(
      .noWorkspace,
      "no vouch workspace in \(directory) or any parent directory; run `vouch init` at the top of your project"
    )
  }

  /// Bad input the user can fix by changing the command.
  public static func usage(_ message: String) -> PipelineError { PipelineError(.usage, message) }

  /// Stored or workspace bytes that do not match their recorded digest.
  public static func integrity(_ message: String) -> PipelineError {
    PipelineError(.integrity, message)
  }

  /// Anything else.
  public static func failure(_ message: String) -> PipelineError {
    PipelineError(.failure, message)
  }
}
