import VouchCore

/// The fixed exit statuses of `vouch`, after restic's: scripts may rely on them.
public enum ExitStatus {
  public static let ok: Int32 = 0
  public static let failure: Int32 = 1
  public static let usage: Int32 = 64
  public static let noWorkspace: Int32 = 10
  public static let locked: Int32 = 11
  public static let integrity: Int32 = 12
  public static let mismatch: Int32 = 13
  public static let outOfDate: Int32 = 14

  /// The status for an error of `category`.
  public static func status(for category: ErrorCategory) -> Int32 {
    switch category {
    case .usage: usage
    case .noWorkspace: noWorkspace
    case .locked: locked
    case .integrity: integrity
    case .mismatch: mismatch
    case .outOfDate: outOfDate
    default: failure
    }
  }

  /// The EXIT STATUS section shown in `vouch --help`.
  public static let helpText = """
    EXIT STATUS
      0   success
      1   failure (anything not listed below)
      10  no vouch workspace here or in any parent directory (run `vouch init`)
      11  the store is locked by another vouch process and the wait timed out
      12  integrity failure: stored bytes do not match their digest, or are missing
      13  a rerun did not reproduce a recorded output or claim
      14  a lock is out of date with its pipeline file (run `vouch run`)
      64  usage error: bad arguments or input
    """
}
