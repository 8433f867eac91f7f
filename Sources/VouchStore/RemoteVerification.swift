import Foundation
import VouchCore

/// Which objects a push re-reads from the remote before it trusts the copy there.
///
/// Whatever the rule, every object the remote already holds is first compared by size with
/// this store's (one stat, no read): a truncated or extended object is always found. Then:
///
/// - `sample(seed:)`, what `vouch push` does: every recipe the push covers is re-read and
///   decoded (checksum, name, file size; recipes are small and each one breaks a whole file).
///   Whole objects and chunks are ordered by SHA-256(seed ‖ digest) and re-hashed in that order
///   while they fit a budget of 1/16 of the bytes already on the remote, at least 4 MiB and at
///   most 64 MiB; an object larger than what is left of the budget is passed over. A remote
///   holding less than 4 MiB of what the push covers is thus re-hashed in full on every push,
///   and a second push of 256 MiB re-reads 16 MiB. `vouch push` draws a fresh seed each time,
///   so successive pushes probe different objects; tests pass a fixed one.
/// - `everything`, `vouch push --verify-remote`: every object and recipe the push covers is
///   re-read and re-hashed, and a remote recipe whose bytes differ from this store's (a clone
///   with other chunk sizes pushed it) is rebuilt from the remote's chunks and hashed whole.
///
/// A damaged object (wrong size, wrong hash, a recipe that fails to decode or rebuild) is
/// replaced with this store's verified bytes (`Remote.replace(_:as:)`).
public struct RemoteVerification: Sendable, Hashable {
  /// The sample budget is the bytes already on the remote divided by this.
  public static let sampleDivisor: Int64 = 16
  /// The smallest sample budget, in bytes.
  public static let minimumSampleBytes: Int64 = 4 << 20
  /// The largest sample budget, in bytes.
  public static let maximumSampleBytes: Int64 = 64 << 20

  /// The seed that orders objects for the sample; `nil` for `everything`.
  public let seed: UInt64?
  /// The smallest and largest sample budget (tests narrow them).
  var budgetBounds: ClosedRange<Int64> = minimumSampleBytes...maximumSampleBytes

  /// Re-hash every object and recipe.
  public static let everything = RemoteVerification(seed: nil)

  /// Re-hash every recipe and the objects that `seed` picks within the budget.
  public static func sample(seed: UInt64) -> RemoteVerification {
    RemoteVerification(seed: seed)
  }

  /// A sample with a fresh random seed (what `vouch push` uses).
  public static func randomSample() -> RemoteVerification {
    sample(seed: UInt64.random(in: 0...UInt64.max))
  }

  /// Whether everything is re-hashed.
  public var isEverything: Bool { seed == nil }

  /// The objects among `present` (objects and recipes the remote holds, with their sizes) to
  /// re-read: all of them for `everything`, else every recipe plus the sampled objects.
  func select(_ present: [(object: RemoteObject, size: Int64)]) -> Set<RemoteObject> {
    guard let seed else { return Set(present.map(\.object)) }
    var chosen = Set(present.filter { $0.object.kind == .recipe }.map(\.object))
    let total = present.reduce(Int64(0)) { $0 + $1.size }
    var budget = min(
      max(total / Self.sampleDivisor, budgetBounds.lowerBound), budgetBounds.upperBound)
    let candidates = present.filter { $0.object.kind == .object }
      .map { (key: Self.key(seed, $0.object.digest), item: $0) }
      .sorted { ($0.key, $0.item.object.digest) < ($1.key, $1.item.object.digest) }
    for candidate in candidates where candidate.item.size <= budget {
      chosen.insert(candidate.item.object)
      budget -= candidate.item.size
    }
    return chosen
  }

  /// The first eight bytes of SHA-256(seed, little-endian ‖ digest): a per-seed order.
  private static func key(_ seed: UInt64, _ digest: Digest) -> UInt64 {
    var bytes = withUnsafeBytes(of: seed.littleEndian) { Array($0) }
    bytes += digest.bytes
    let hash = bytes.withUnsafeBytes { StreamingHash.digest(of: $0) }.bytes
    return hash.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
  }
}
