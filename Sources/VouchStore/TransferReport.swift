import VouchCore

/// What a push or fetch moved, what was already there, what it healed and what went wrong.
public struct TransferReport: Sendable, Codable, Hashable {
  /// A damaged object: at the source (not moved), or at the destination (healed by a push).
  public struct Problem: Sendable, Codable, Hashable {
    /// The damaged object or recipe.
    public var object: RemoteObject
    /// One line: what is wrong (and, at the source, how to fix it).
    public var detail: String
    /// The content digests (files, listings) it breaks.
    public var affects: [Digest]
  }

  /// Objects, chunks and recipes written to the destination.
  public var transferred = 0
  /// Their bytes.
  public var bytes: ByteCount = 0
  /// Objects, chunks and recipes the destination already held, intact as far as checked.
  public var present = 0
  /// Their bytes.
  public var presentBytes: ByteCount = 0
  /// Of those, how many a push re-read and re-hashed on the remote.
  public var verified = 0
  /// Their bytes.
  public var verifiedBytes: ByteCount = 0
  /// Objects a push found damaged on the remote and replaced with verified bytes.
  public var healed: [Problem] = []
  /// The bytes written to replace them.
  public var healedBytes: ByteCount = 0
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
    verified += other.verified
    verifiedBytes += other.verifiedBytes
    healed += other.healed
    healedBytes += other.healedBytes
    missing += other.missing
    corrupt += other.corrupt
  }
}
