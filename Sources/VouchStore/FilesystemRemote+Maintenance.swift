import Foundation
import VouchCore

// What a push needs to heal a filesystem remote, and what `remote check` and `remote gc` need
// to walk and clean it.
extension FilesystemRemote {
  /// Verifies `bytes` against the name, then writes them over whatever `object` holds by the
  /// atomic-put protocol: a temporary file in `tmp/`, fsync, rename(2) over the old file, fsync
  /// of the directory. The new file is read-only, like every object.
  public func replace(_ bytes: Data, as object: RemoteObject) throws {
    try object.verify(bytes)
    let final = path(of: object)
    try makeParentDirectory(of: final)
    try put(bytes, at: final, mode: 0o444, replacing: true)
  }

  /// Walks `objects/sha256/*/` and `recipes/sha256/*/`, stating every file whose name is a
  /// digest in its fan-out directory.
  public func list() throws -> [RemoteObject: Int64] {
    var out: [RemoteObject: Int64] = [:]
    for (area, kind) in [("objects", RemoteObject.Kind.object), ("recipes", .recipe)] {
      let top = "\(root)/\(area)/sha256"
      for fanout in try Sys.listDirectory(top) ?? [] where fanout.utf8.count == 2 {
        let directory = top + "/" + fanout
        for name in try Sys.listDirectory(directory) ?? [] where name.hasPrefix(fanout) {
          guard let digest = try? Digest(parsing: name), digest.hex == name,
            let status = try Sys.status(atPath: directory + "/" + name), status.isRegularFile
          else { continue }
          out[RemoteObject(kind: kind, digest: digest)] = status.size
        }
      }
    }
    return out
  }

  /// Unlinks the object's file.
  public func delete(_ object: RemoteObject) throws {
    try Sys.remove(path(of: object))
  }

  /// Runs `body` holding the remote's lock (see `RemoteLock`): shared for pushes and checks,
  /// exclusive for `remote gc`.
  public func withAccess<T>(
    _ access: RemoteAccess, for operation: String, _ body: () throws -> T
  ) throws -> T {
    try lock.withLock(access == .shared ? .shared : .exclusive, for: operation, body)
  }

  /// Counts and (unless `dryRun`) removes every regular file in `tmp/`.
  public func removeLeftovers(dryRun: Bool) throws -> RemoteLeftovers {
    var leftovers = RemoteLeftovers()
    for name in try Sys.listDirectory(temporaryDirectory) ?? [] {
      let path = temporaryDirectory + "/" + name
      guard let status = try Sys.status(atPath: path), status.isRegularFile else { continue }
      if !dryRun { try Sys.remove(path) }
      leftovers.files += 1
      leftovers.bytes += ByteCount(status.size)
    }
    return leftovers
  }
}
