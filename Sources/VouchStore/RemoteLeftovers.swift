import VouchCore

/// What interrupted writes left on a remote (see `Remote.removeLeftovers(dryRun:)`).
public struct RemoteLeftovers: Sendable, Codable, Hashable {
  /// Files (or unfinished uploads) found.
  public var files = 0
  /// Their total size.
  public var bytes: ByteCount = 0

  /// No leftovers.
  public init() {}
}
