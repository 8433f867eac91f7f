import Foundation
import VouchCore

/// A place to share stored objects between stores: a shared disk, an NFS mount, a folder
/// committed to git (`FilesystemRemote`), later an S3 bucket.
///
/// A remote is a dumb bag of objects in the store's layout. It never judges content:
/// `Store.push(_:to:verifying:progress:)` and `Store.fetch(_:from:progress:)` re-hash every byte
/// they move, and a remote only promises that a name, once visible, holds complete bytes (atomic
/// put). Only two calls change a visible name: `replace(_:as:)`, which a push uses to heal an
/// object it found damaged, and `delete(_:)`, which only `remote gc` uses. The calls are
/// synchronous, like the rest of the storage island; a network remote blocks the calling thread.
///
/// Writers (push) and whole-remote readers (`remote check`) run inside
/// `withAccess(.shared, for:_:)`; `remote gc` runs inside `withAccess(.exclusive, for:_:)`, so it
/// never removes a live push's temporary files nor deletes objects a push counted as present.
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

  /// Replaces `object`, whatever the remote holds under its name (damaged bytes, or nothing),
  /// with `bytes`, atomically and durably: a reader sees the old file or all of the new bytes,
  /// and the new bytes are verified against the name before anything is written.
  /// - Throws: `StoreError` (integrity) when `bytes` are not what the name promises (nothing is
  ///   written); other categories for I/O failures.
  func replace(_ bytes: Data, as object: RemoteObject) throws

  /// Every object and recipe on the remote with its size in bytes. Files whose names are not
  /// digests in the layout are not listed.
  /// - Throws: `StoreError` when the remote cannot be listed.
  func list() throws -> [RemoteObject: Int64]

  /// Deletes `object`; a missing object is not an error. Only `remote gc` calls it, inside
  /// exclusive access.
  /// - Throws: `StoreError` when it exists and cannot be deleted.
  func delete(_ object: RemoteObject) throws

  /// Runs `body` with `access` to the remote: shared for pushes and checks (many at once),
  /// exclusive for `remote gc` (alone), waiting for a conflicting holder up to the remote's
  /// lock timeout. A remote that cannot be locked (read-only, or without locks) runs `body`
  /// anyway: nobody can then remove anything from it.
  /// - Parameters:
  ///   - access: shared or exclusive.
  ///   - operation: what the caller does, for the timeout message ("push to /x").
  ///   - body: the work.
  /// - Returns: what `body` returns.
  /// - Throws: `StoreError` (locked) when the wait times out; rethrows `body`'s errors.
  func withAccess<T>(
    _ access: RemoteAccess, for operation: String, _ body: () throws -> T
  ) throws -> T

  /// The leftovers of interrupted writes (a filesystem remote's `tmp/` files, an S3 bucket's
  /// unfinished multipart uploads), removed unless `dryRun`. Call it inside exclusive access.
  /// - Throws: `StoreError` when a leftover cannot be removed (read-only remote).
  func removeLeftovers(dryRun: Bool) throws -> RemoteLeftovers
}

extension Remote {
  /// Writes the objects one by one (remotes without a cheaper batch override this).
  public func write(batch: [(object: RemoteObject, bytes: Data)]) throws -> [Bool] {
    for item in batch { try item.object.verify(item.bytes) }
    return try batch.map { try write($0.bytes, as: $0.object) }
  }

  /// Runs `body` without any locking (remotes whose writes leave no leftovers and that no
  /// other writer can disturb override this).
  public func withAccess<T>(
    _ access: RemoteAccess, for operation: String, _ body: () throws -> T
  ) throws -> T {
    try body()
  }

  /// Reports no leftovers (remotes whose interrupted writes leave nothing override this).
  public func removeLeftovers(dryRun: Bool) throws -> RemoteLeftovers { RemoteLeftovers() }

  /// The bytes of `object`, checked against its name: an object's bytes hash to its digest, a
  /// recipe decodes, passes its checksum and describes the file it is named after.
  /// - Throws: `StoreError` (integrity) when they do not, or the object is missing.
  public func readVerified(_ object: RemoteObject) throws -> Data {
    let bytes = try read(object)
    try object.verify(bytes)
    return bytes
  }
}
