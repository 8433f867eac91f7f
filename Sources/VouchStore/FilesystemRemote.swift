import Foundation
import VouchCore

/// A remote that is a directory: a shared lab disk, an NFS mount, or a folder committed to git.
///
/// Layout (version 1), the store's object layout plus a marker:
/// ```
/// vouch-remote.json                  canonical JSON: kind `vouch.remote`, layout version; also
///                                    the lock file (see `RemoteLock`)
/// objects/sha256/ab/<hex>            whole files and chunks, named by their SHA-256
/// recipes/sha256/ab/<hex>            recipes of chunked files, named by the file's SHA-256
/// tmp/                               writes in progress (ignored by git via `.gitignore`)
/// ```
/// Writes follow the store's atomic-put protocol: a temporary file in `tmp/`, fsync,
/// `renameat2(RENAME_NOREPLACE)` into place, fsync of the directory. Several pushers may write
/// at once: the first rename wins and the others find the object there. A push heals a damaged
/// object the same way, except that its rename replaces the damaged file.
public struct FilesystemRemote: Remote {
  /// The marker file's name at the remote root.
  public static let markerName = "vouch-remote.json"
  /// The only layout version this build reads and writes.
  public static let layoutVersion = 1

  /// How long lock waits last when neither the caller nor `VOUCH_LOCK_TIMEOUT` says otherwise.
  public static let defaultLockTimeout: Double = 60

  /// The remote's root directory.
  public let directory: URL
  let root: String
  let lock: RemoteLock

  private init(directory: URL, lockTimeout: Double?) {
    self.directory = directory
    root = directory.standardizedFileURL.path
    let environment = ProcessInfo.processInfo.environment["VOUCH_LOCK_TIMEOUT"].flatMap(Double.init)
    lock = RemoteLock(
      path: root + "/" + Self.markerName, location: root,
      timeout: lockTimeout ?? environment ?? Self.defaultLockTimeout)
  }

  /// The root path.
  public var location: String { root }

  /// Opens the remote at `directory`. Unless told otherwise, first removes the leftovers of
  /// killed pushes from `tmp/`: all of them when no push holds the remote's lock, else those
  /// older than a day (a live push renames its files within seconds). Best effort: a read-only
  /// remote keeps them.
  /// - Parameters:
  ///   - directory: the remote's root.
  ///   - lockTimeout: seconds to wait for the remote's lock; `nil` reads `VOUCH_LOCK_TIMEOUT`,
  ///     else 60.
  ///   - removingLeftovers: `false` leaves `tmp/` alone (for `remote gc`, which reports them).
  /// - Returns: the open remote.
  /// - Throws: `StoreError` (usage) when the directory is missing or holds no marker;
  ///   (failure) for a marker of an unknown layout version.
  public static func open(
    at directory: URL, lockTimeout: Double? = nil, removingLeftovers: Bool = true
  ) throws -> FilesystemRemote {
    let remote = FilesystemRemote(directory: directory, lockTimeout: lockTimeout)
    let root = remote.root
    guard let status = try Sys.status(atPath: root) else {
      throw StoreError.usage(
        "the remote directory \(root) does not exist; check the path (is the disk mounted?),"
          + " or `vouch remote add` it again to create it")
    }
    guard status.isDirectory else {
      throw StoreError.usage("the remote \(root) is not a directory; point the remote at one")
    }
    guard let bytes = FileManager.default.contents(atPath: root + "/" + markerName) else {
      throw StoreError.usage(
        "\(root) is not a vouch remote (no \(markerName)); point the remote at a directory"
          + " made by `vouch remote add` (which creates a remote in an empty directory)")
    }
    try RemoteMarker.check(bytes, at: root + "/" + markerName)
    if removingLeftovers { remote.removeLeftoversOnOpen() }
    return remote
  }

  /// Removes every file in `tmp/` when the lock is free (no push is live), else only those
  /// older than a day (left by a vouch that did not lock the remote). Best effort.
  private func removeLeftoversOnOpen() {
    let removed = lock.withLockIfFree(.exclusive) { try? removeLeftovers(dryRun: false) }
    if removed != nil { return }
    let cutoff = Int64((Date().timeIntervalSince1970 - 86_400) * 1e9)
    for name in (try? Sys.listDirectory(temporaryDirectory)) ?? [] {
      let path = temporaryDirectory + "/" + name
      if let status = try? Sys.status(atPath: path), status.isRegularFile,
        status.modificationNanoseconds < cutoff
      {
        Sys.unlink(path)
      }
    }
  }

  /// Opens the remote at `directory`, first creating it (directory and marker) when the
  /// directory is missing or empty.
  /// - Throws: `StoreError` (usage) when the directory holds other files and no marker.
  public static func create(at directory: URL) throws -> FilesystemRemote {
    let root = directory.standardizedFileURL.path
    let names = try Sys.listDirectory(root)
    if let names, names.contains(markerName) { return try open(at: directory) }
    if let names, !names.isEmpty {
      throw StoreError.usage(
        "\(root) is not empty and is not a vouch remote (no \(markerName)); choose an empty"
          + " or new directory for the remote")
    }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let remote = FilesystemRemote(directory: directory, lockTimeout: nil)
    for sub in ["objects", "objects/sha256", "recipes", "recipes/sha256", "tmp"] {
      try Sys.mkdir(root + "/" + sub)
    }
    // Leftovers of a killed push stay out of git when the remote is a committed folder.
    try remote.put(Data("/tmp/\n".utf8), at: root + "/.gitignore", mode: 0o644, replacing: true)
    // The marker goes last: its presence marks a complete remote.
    try remote.put(
      RemoteMarker.current(), at: root + "/" + markerName, mode: 0o644, replacing: true)
    return remote
  }

  public func size(of object: RemoteObject) throws -> Int64? {
    guard let status = try Sys.status(atPath: path(of: object)), status.isRegularFile else {
      return nil
    }
    return status.size
  }

  public func read(_ object: RemoteObject) throws -> Data {
    guard let bytes = try Sys.readWholeFile(path(of: object)) else {
      throw StoreError.integrity(
        "\(object) is not on the remote \(root); push it there from a store that has it")
    }
    return Data(bytes)
  }

  public func write(_ bytes: Data, as object: RemoteObject) throws -> Bool {
    try object.verify(bytes)
    let final = path(of: object)
    if try Sys.status(atPath: final) != nil { return false }
    try makeParentDirectory(of: final)
    return try put(bytes, at: final, mode: 0o444, replacing: false)
  }

  /// Creates the fan-out directory that will hold `final` when it is missing, durably.
  func makeParentDirectory(of final: String) throws {
    let directory = (final as NSString).deletingLastPathComponent
    if try Sys.status(atPath: directory) == nil {
      try Sys.mkdir(directory)
      try Sys.fsyncDirectory((directory as NSString).deletingLastPathComponent)
    }
  }

  /// Stages every object in `tmp/`, flushes the filesystem once, renames each into place
  /// without replacing, then flushes the directories: the atomic-put protocol with two flushes
  /// per batch instead of two per object.
  public func write(batch: [(object: RemoteObject, bytes: Data)]) throws -> [Bool] {
    for item in batch { try item.object.verify(item.bytes) }
    try Sys.mkdir(temporaryDirectory)
    var results = [Bool](repeating: false, count: batch.count)
    var staged: [(index: Int, temp: String, final: String)] = []
    // A temporary file left by an error is removed; renamed ones are gone already.
    defer { for item in staged { Sys.unlink(item.temp) } }
    for (index, item) in batch.enumerated() {
      let final = path(of: item.object)
      if try Sys.status(atPath: final) != nil { continue }
      let temp = temporaryDirectory + "/" + TemporaryName.next()
      let fd = try Sys.open(temp, O_WRONLY | O_CREAT | O_EXCL, mode: 0o444)
      staged.append((index, temp, final))
      defer { Sys.close(fd) }
      try item.bytes.withUnsafeBytes { buffer in
        if let base = buffer.baseAddress {
          try Sys.writeAll(fd, base, count: buffer.count, path: temp)
        }
      }
      Sys.startWriteback(fd)
    }
    if staged.isEmpty { return results }
    try flushFilesystem(temporaryDirectory)
    var touched = Set<String>()
    for item in staged {
      let directory = (item.final as NSString).deletingLastPathComponent
      if !touched.contains(directory), try Sys.status(atPath: directory) == nil {
        try Sys.mkdir(directory)
        touched.insert((directory as NSString).deletingLastPathComponent)
      }
      touched.insert(directory)
      results[item.index] = try Sys.renameNoReplace(item.temp, item.final)
    }
    if touched.count > 8 {
      try flushFilesystem(temporaryDirectory)
    } else {
      for directory in touched.sorted() { try Sys.fsyncDirectory(directory) }
    }
    return results
  }

  /// Flushes the filesystem holding `path` (syncfs(2)).
  private func flushFilesystem(_ path: String) throws {
    let fd = try Sys.open(path, O_RDONLY | O_DIRECTORY)
    defer { Sys.close(fd) }
    try Sys.syncfs(fd, path: path)
  }

  /// The absolute path of `object`.
  func path(of object: RemoteObject) -> String { root + "/" + object.relativePath }

  /// `tmp/`.
  var temporaryDirectory: String { root + "/tmp" }

  /// Writes `bytes` to `final` (with permissions `mode`) by tmp + fsync + rename +
  /// fsync-directory. With `replacing` false an existing file wins and `false` is returned.
  @discardableResult
  func put(_ bytes: Data, at final: String, mode: UInt32, replacing: Bool) throws -> Bool {
    try Sys.mkdir(temporaryDirectory)
    let temp = temporaryDirectory + "/" + TemporaryName.next()
    try bytes.withUnsafeBytes { try Sys.createDurably(temp, $0, mode: mode) }
    var placed = true
    do {
      if replacing {
        try Sys.rename(temp, final)
      } else {
        placed = try Sys.renameNoReplace(temp, final)
        if !placed { Sys.unlink(temp) }
      }
    } catch {
      Sys.unlink(temp)
      throw error
    }
    try Sys.fsyncDirectory((final as NSString).deletingLastPathComponent)
    return placed
  }
}
