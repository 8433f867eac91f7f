import Foundation

/// `VOUCH_LOCK_TIMEOUT`: how many seconds every vouch lock (the store's and the workspace's) waits
/// for another process before giving up. One parse for all of them, so a typo is an error rather
/// than a silently ignored setting.
public enum LockTimeout {
  /// The environment variable's name.
  public static let variable = "VOUCH_LOCK_TIMEOUT"

  /// The seconds `VOUCH_LOCK_TIMEOUT` asks for, or `nil` when it is unset or empty.
  /// - Parameter environment: the process environment (a parameter for tests).
  /// - Returns: a finite number of seconds ≥ 0, or `nil`.
  /// - Throws: `StoreError` (usage) when the variable is set to anything else (`abc`, `-1`, `inf`).
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> Double? {
    guard let text = environment[variable], !text.isEmpty else { return nil }
    guard let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds.isFinite,
      seconds >= 0
    else {
      throw StoreError.usage(
        "\(variable)='\(text)' is not a number of seconds; set it to a number ≥ 0 (e.g. 120) or unset it"
      )
    }
    return seconds
  }
}
