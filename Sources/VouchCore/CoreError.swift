import Foundation

/// Errors raised by `VouchCore` values (digests, canonical JSON).
public struct CoreError: VouchError, LocalizedError {
  /// Which exit status this error maps to.
  public let category: ErrorCategory
  /// What is wrong and how to fix it.
  public let message: String

  public var errorDescription: String? { message }

  /// A string that should have been a digest is not one.
  public static func invalidDigest(_ message: String) -> CoreError {
    CoreError(category: .usage, message: message)
  }

  /// A value cannot be written as canonical JSON.
  public static func notCanonical(_ message: String) -> CoreError {
    CoreError(category: .failure, message: message)
  }
}
