import Foundation
import VouchCore

/// A place to share stored objects between stores: a shared disk, an NFS mount, a folder
/// committed to git (`FilesystemRemote`), later an S3 bucket.
///
/// A remote is a dumb bag of immutable objects in the store's layout. It never judges content:
/// `Store.push(_:to:)` and `Store.fetch(_:from:)` re-hash every byte they move, and a remote only
/// promises that a name, once visible, holds complete bytes (atomic put, never replaced). The
/// calls are synchronous, like the rest of the storage island; a network remote blocks the
/// calling thread.
public protocol Remote: Sendable {
  /// Where the remote is, for messages: a path, or a URL without credentials.
  var location: String { get }

  /// The size in bytes of `object` on the remote, or `nil` when it is not there.
  /// - Throws: `StoreError` when the remote cannot be asked.
  func size(of object: RemoteObject) throws -> Int64?

  /// The bytes of `object` exactly as stored (the caller verifies them).
  /// - Throws: `StoreError` (integrity) when it is missing; other categories for I/O failures.
  func read(_ object: RemoteObject) throws -> Data

  /// Stores `bytes` as `object` atomically: a reader sees all of them or no file, a crash
  /// leaves no partial object, and an existing object is never replaced.
  /// - Returns: `false` when the remote already held the object (nothing written).
  /// - Throws: `StoreError` (integrity) when `bytes` are not what the name promises; other
  ///   categories for I/O failures.
  func write(_ bytes: Data, as object: RemoteObject) throws -> Bool

  /// Stores several objects, each as `write(_:as:)` would, but may make them durable together
  /// (one filesystem flush instead of one per object). The caller orders batches so that no
  /// recipe shares a batch with, or comes before, the chunks it needs.
  /// - Returns: for each object, in order, whether it was written (`false`: already there).
  /// - Throws: `StoreError` (integrity) before writing anything when one of the objects is not
  ///   what its name promises; other categories for I/O failures.
  func write(batch: [(object: RemoteObject, bytes: Data)]) throws -> [Bool]
}

extension Remote {
  /// Writes the objects one by one (remotes without a cheaper batch override this).
  public func write(batch: [(object: RemoteObject, bytes: Data)]) throws -> [Bool] {
    for item in batch { try item.object.verify(item.bytes) }
    return try batch.map { try write($0.bytes, as: $0.object) }
  }
}
