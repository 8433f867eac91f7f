import VouchCore

/// What `Remote.garbageCollect(keeping:dryRun:)` removed (or, in a dry run, would remove).
public struct RemoteGCReport: Sendable, Hashable, Codable {
  /// Whether nothing was actually removed.
  public var dryRun: Bool
  /// The leftovers of killed pushes found in the remote's temporary area.
  public var leftovers = RemoteLeftovers()
  /// Whether unreferenced objects and recipes were looked for (`--unreferenced`).
  public var unreferenced = false
  /// The objects and recipes deleted (or that would be), recipes first, each sorted by digest.
  public var deleted: [GCReport.Item] = []
  /// Their total size.
  public var deletedBytes: ByteCount = 0
  /// Objects and chunks kept.
  public var keptObjects = 0
  /// Recipes kept.
  public var keptRecipes = 0
  /// Bytes kept.
  public var keptBytes: ByteCount = 0
  /// Digests to keep that the remote does not hold.
  public var absent: [Digest] = []

  /// An empty report.
  public init(dryRun: Bool) { self.dryRun = dryRun }
}
