import Crypto
import Foundation
import VouchCore

// The only file of VouchStore that touches swift-crypto (whose `Digest` protocol would otherwise
// shadow VouchCore's `Digest` everywhere).

/// An incremental SHA-256.
struct StreamingHash {
  private var hasher = SHA256()

  /// Adds `bytes`.
  mutating func update(_ bytes: UnsafeRawBufferPointer) {
    hasher.update(bufferPointer: bytes)
  }

  /// The digest of everything added.
  func finalize() -> VouchCore.Digest { VouchCore.Digest(hasher.finalize()) }

  /// The SHA-256 of `bytes` in one call.
  static func digest(of bytes: UnsafeRawBufferPointer) -> VouchCore.Digest {
    var hasher = SHA256()
    hasher.update(bufferPointer: bytes)
    return VouchCore.Digest(hasher.finalize())
  }
}
