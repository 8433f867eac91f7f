import VouchCore

/// What `Remote.check(progress:)` found.
public struct RemoteCheckReport: Sendable, Hashable, Codable {
  /// Whole objects and chunks re-hashed.
  public var objectsChecked = 0
  /// Recipes checked (decoded, every chunk present and re-hashed, the file rebuilt and hashed).
  public var recipesChecked = 0
  /// Bytes read and hashed (each file once).
  public var bytesChecked: ByteCount = 0
  /// Every damaged or missing item, sorted by item and digest; `affects` lists the content
  /// digests (whole files) each one breaks.
  public var problems: [CheckReport.Problem] = []

  /// An empty report.
  public init() {}

  /// Whether nothing is wrong.
  public var isClean: Bool { problems.isEmpty }

  /// Every content digest that can no longer be fetched whole, sorted.
  public var brokenContent: [Digest] {
    Array(Set(problems.flatMap(\.affects))).sorted()
  }
}
