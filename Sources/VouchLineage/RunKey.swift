import VouchCore

/// The identity of a run: the SHA-256 of its canonical record without outputs, claims and times.
///
/// Two runs with the same key had the same stage, command, input digests, parameters, seed, code
/// state and engine fingerprint, so a stored result for the key can stand in for a new run (the
/// run-cache).
public struct RunKey: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
  /// The digest.
  public let digest: Digest

  /// Wraps a digest.
  public init(_ digest: Digest) { self.digest = digest }

  /// `sha256:<hex>`.
  public var description: String { digest.description }

  /// The first 8 hex characters.
  public var short: String { digest.short }

  public static func < (lhs: RunKey, rhs: RunKey) -> Bool { lhs.digest < rhs.digest }

  public init(from decoder: Decoder) throws {
    digest = try Digest(from: decoder)
  }

  public func encode(to encoder: Encoder) throws {
    try digest.encode(to: encoder)
  }
}

/// What computed a run: vouch version, architecture, BLAS library and core type, kernel profile…
///
/// Opaque to this module: a sorted map of strings, filled by `VouchPipeline` and compared whole.
public struct EngineFingerprint: Hashable, Sendable, Codable {
  /// The entries (`vouch` → `0.3.0`, `arch` → `x86_64`, …).
  public var entries: [String: String]

  /// Wraps the entries.
  public init(_ entries: [String: String]) { self.entries = entries }

  /// `key=value` pairs, sorted, comma-separated.
  public var summary: String {
    entries.keys.sorted().map { "\($0)=\(entries[$0] ?? "")" }.joined(separator: ", ")
  }

  public init(from decoder: Decoder) throws {
    entries = try [String: String](from: decoder)
  }

  public func encode(to encoder: Encoder) throws {
    try entries.encode(to: encoder)
  }
}
