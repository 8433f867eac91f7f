/// How a caller holds a remote while it works on it (see `Remote.withAccess(_:for:_:)`).
public enum RemoteAccess: Sendable, Hashable {
  /// Pushes and checks: any number at once; each may have writes in progress.
  case shared
  /// `remote gc`: alone, so no write is in progress and every leftover is a killed one's.
  case exclusive
}
