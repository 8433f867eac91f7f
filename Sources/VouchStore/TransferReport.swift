import VouchCore

/// What a push or fetch moved, what was already there, and what went wrong.
public struct TransferReport: Sendable, Codable, Hashable {
  /// An object that could not be moved because its bytes are damaged.
  public struct Problem: Sendable, Codable, Hashable {
    /// The damaged object or recipe.
    public var object: RemoteObject
    /// One line: what is wrong and how to fix it.
    public var detail: String
    /// The content digests (files, listings) it breaks.
    public var affects: [Digest]
  }

  /// Objects, chunks and recipes written to the destination.
  public var transferred = 0
  /// Their bytes.
  public var bytes: ByteCount = 0
  /// Objects, chunks and recipes the destination already held.
  public var present = 0
  /// Their bytes.
  public var presentBytes: ByteCount = 0
  /// Content digests the source does not have (nothing of them was moved).
  public var missing: [Digest] = []
  /// Damaged objects at the source, none of which reached the destination.
  public var corrupt: [Problem] = []

  /// An empty report.
  public init() {}

  /// Adds `other`'s counts and problems to this report.
  public mutating func merge(_ other: TransferReport) {
    transferred += other.transferred
    bytes += other.bytes
    present += other.present
    presentBytes += other.presentBytes
    missing += other.missing
    corrupt += other.corrupt
  }
}
