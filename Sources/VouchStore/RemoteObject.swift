import Foundation
import VouchCore

/// One file of a remote: a whole-file object or chunk, or a recipe, named by its digest.
///
/// Remotes keep the store's layout, so the relative path of an object is the same on both
/// sides (`objects/sha256/ab/<hex>`, `recipes/sha256/ab/<hex>`).
public struct RemoteObject: Sendable, Hashable, Codable, CustomStringConvertible {
  /// What the file holds.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// A whole file or a chunk: its bytes hash to its name.
    case object
    /// A recipe: canonical JSON whose `digest` member is its name (see `Recipe`).
    case recipe
  }

  /// Object or recipe.
  public var kind: Kind
  /// The name: the SHA-256 of the object's bytes, or of the file a recipe rebuilds.
  public var digest: Digest

  /// An object (whole file or chunk).
  public static func object(_ digest: Digest) -> RemoteObject {
    RemoteObject(kind: .object, digest: digest)
  }

  /// A recipe.
  public static func recipe(_ digest: Digest) -> RemoteObject {
    RemoteObject(kind: .recipe, digest: digest)
  }

  /// The path relative to a store or remote root: `objects/sha256/ab/<hex>`.
  public var relativePath: String {
    let hex = digest.hex
    return "\(kind == .object ? "objects" : "recipes")/sha256/\(hex.prefix(2))/\(hex)"
  }

  /// `object sha256:…` or `recipe sha256:…`.
  public var description: String { "\(kind.rawValue) \(digest)" }

  /// Checks that `bytes` are what this name promises: an object's bytes hash to its digest; a
  /// recipe is canonical, passes its checksum and rebuilds the file it is named after.
  /// - Throws: `StoreError` (integrity) naming the object and what its bytes hash to.
  func verify(_ bytes: Data) throws {
    switch kind {
    case .object:
      let actual = bytes.withUnsafeBytes { StreamingHash.digest(of: $0) }
      guard actual == digest else { throw Store.corrupt("object", digest, actual: actual) }
    case .recipe:
      _ = try Recipe.decode(bytes, name: digest)
    }
  }
}
