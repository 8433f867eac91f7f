import VouchCore

/// What `Store.check` found.
public struct CheckReport: Sendable, Hashable, Codable {
  /// One damaged or missing item.
  public struct Problem: Sendable, Hashable, Codable {
    /// What kind of item is damaged.
    public enum Item: String, Sendable, Hashable, Codable {
      /// A whole-file object.
      case object
      /// A chunk of one or more chunked files.
      case chunk
      /// A recipe (how a chunked file is rebuilt).
      case recipe
      /// An index row naming an object or recipe that is not on disk.
      case indexRow
    }
    /// What is wrong with it.
    public enum Issue: String, Sendable, Hashable, Codable {
      /// Its bytes do not hash to its name (or a recipe fails its checksum).
      case corrupt
      /// It should exist and does not.
      case missing
      /// It is shorter than recorded.
      case truncated
    }

    /// The kind of item.
    public var item: Item
    /// The item's name (for chunks, the chunk's digest).
    public var digest: Digest
    /// What is wrong.
    public var issue: Issue
    /// A one-line explanation.
    public var detail: String
    /// The content digests (whole files) this breaks; map them to artifacts.
    public var affects: [Digest]
  }

  /// Distinct whole objects and chunks re-hashed (a chunk shared by several files counts once).
  public var objectsChecked = 0
  /// Recipes checked (decoded, every chunk verified, the file re-hashed).
  public var recipesChecked = 0
  /// Bytes read and hashed (a shared chunk is read again for each file that holds it).
  public var bytesChecked: Int64 = 0
  /// Everything found wrong, sorted by item and digest.
  public var problems: [Problem] = []
  /// Objects on disk with no index row (harmless: `repairIndex()` adds them).
  public var unindexedObjects = 0
  /// Why the index could not be read, if it could not (run `repairIndex()`).
  public var indexError: String?

  /// Whether nothing is wrong.
  public var isClean: Bool { problems.isEmpty && indexError == nil }

  /// Every content digest that can no longer be materialized, sorted.
  public var brokenContent: [Digest] {
    Array(Set(problems.flatMap(\.affects))).sorted()
  }
}
