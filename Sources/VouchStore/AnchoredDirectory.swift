import Foundation
import VouchCore

/// A directory reached from an anchor (a workspace root, or a reproduction sandbox) by a walk
/// that opens one component at a time with `openat(O_NOFOLLOW)`: every write vouch makes into a
/// workspace goes through one, so no symlink — committed to git by someone else, made locally, or
/// swapped in during the walk — can send a write outside the anchor.
///
/// A symlink where a folder is needed is an integrity failure: vouch never writes through a
/// symlink. A symlink at the final name is replaced (renamed over), never written through.
/// The descriptor stays open for the object's lifetime, so the walk is done once per folder.
public final class AnchoredDirectory: @unchecked Sendable {
  /// What is at a name inside the directory, seen without following a symlink.
  public enum EntryKind: Sendable, Equatable {
    /// A regular file of `size` bytes.
    case file(size: Int64)
    case directory
    case symlink
    /// A FIFO, socket or device.
    case other
  }

  let descriptor: Int32
  /// The directory relative to the anchor, `""` for the anchor itself (for messages).
  public let relativePath: String

  private init(descriptor: Int32, relativePath: String) {
    self.descriptor = descriptor
    self.relativePath = relativePath
  }

  deinit { Sys.close(descriptor) }

  /// Opens the anchor itself. Symlinks in `path` are followed: the anchor is chosen by vouch (the
  /// resolved workspace root), not read from a record.
  /// - Throws: `StoreError` when it cannot be opened as a directory.
  public static func anchor(at path: String) throws -> AnchoredDirectory {
    let fd = try Sys.open(path, O_RDONLY | O_DIRECTORY)
    return AnchoredDirectory(descriptor: fd, relativePath: "")
  }

  /// This folder for messages: its relative path, or `.` for the anchor.
  public var shownSelf: String { relativePath.isEmpty ? "." : relativePath }

  /// `name` inside this directory, relative to the anchor (for messages).
  public func shown(_ name: String) -> String {
    relativePath.isEmpty ? name : relativePath + "/" + name
  }

  /// The directory at `relative` (`/`-separated, canonical) below this one.
  /// - Parameters:
  ///   - relative: the path; `""` is this directory.
  ///   - create: create missing folders (mode 0755).
  /// - Returns: the directory, or `nil` when a component is missing and `create` is false.
  /// - Throws: `StoreError` (integrity) when a component is a symlink; (usage) when a file or
  ///   something else stands where a folder is needed.
  public func directory(_ relative: String, create: Bool) throws -> AnchoredDirectory? {
    var current = self
    for component in relative.split(separator: "/") {
      let name = String(component)
      let opened = Sys.openat(current.descriptor, name, O_RDONLY | O_DIRECTORY)
      switch opened {
      case .success(let fd):
        current = AnchoredDirectory(descriptor: fd, relativePath: current.shown(name))
        continue
      case .failure(let error) where error.code == ENOENT && create:
        let made = Sys.mkdirat(current.descriptor, name)
        guard made == 0 || made == EEXIST else {
          throw StoreError.system("create the folder \(current.shown(name))", errno: made)
        }
        guard case .success(let fd) = Sys.openat(current.descriptor, name, O_RDONLY | O_DIRECTORY)
        else { throw try current.notAFolder(name) }
        current = AnchoredDirectory(descriptor: fd, relativePath: current.shown(name))
      case .failure(let error) where error.code == ENOENT:
        return nil
      case .failure(let error) where error.code == ELOOP || error.code == ENOTDIR:
        throw try current.notAFolder(name)
      case .failure(let error):
        throw StoreError.system("open the folder \(current.shown(name))", errno: error.code)
      }
    }
    return current
  }

  /// The error for `name`, which is not a folder although a path goes through it.
  private func notAFolder(_ name: String) throws -> StoreError {
    let shownAs = shown(name)
    guard let status = try Sys.statusNoFollow(in: descriptor, name, shownAs: shownAs) else {
      // Gone between two system calls: something swaps entries here while vouch works.
      return StoreError.integrity(
        "'\(shownAs)' changed while vouch opened it (is something swapping it for a symlink?); "
          + "make sure nothing else writes there and run the command again")
    }
    if status.isSymlink { return StoreError.symlinkRefused(shownAs) }
    return StoreError.usage(
      "'\(shownAs)' is a file where a folder is needed; move it away and run the command again")
  }

  /// What is at `name`, without following a symlink; `nil` when nothing is.
  /// - Throws: `StoreError` for I/O failures.
  public func entry(_ name: String) throws -> EntryKind? {
    guard let status = try Sys.statusNoFollow(in: descriptor, name, shownAs: shown(name)) else {
      return nil
    }
    if status.isSymlink { return .symlink }
    if status.isDirectory { return .directory }
    if status.isRegularFile { return .file(size: status.size) }
    return .other
  }

  /// Removes `name` (a folder with everything in it), never following a symlink: a symlink is
  /// removed itself. Nothing there is fine.
  /// - Throws: `StoreError` when something cannot be removed.
  public func remove(_ name: String) throws {
    guard let kind = try entry(name) else { return }
    if kind == .directory, let folder = try directory(name, create: false) {
      for child in try Sys.listDirectory(folder.descriptor, shownAs: shown(name)) {
        try folder.remove(child)
      }
    }
    try Sys.unlinkat(descriptor, name, isDirectory: kind == .directory, shownAs: shown(name))
  }

  /// Removes the folder `name` if it is empty (never a symlink or a file).
  /// - Returns: whether it was removed.
  public func removeIfEmpty(_ name: String) -> Bool {
    guard (try? entry(name)) == .directory else { return false }
    return (try? Sys.unlinkat(descriptor, name, isDirectory: true, shownAs: shown(name))) != nil
  }

  /// The names in this folder (without `.` and `..`), unsorted.
  /// - Throws: `StoreError` when it cannot be listed.
  public func names() throws -> [String] {
    try Sys.listDirectory(descriptor, shownAs: relativePath.isEmpty ? "." : relativePath)
  }

  /// The bytes of the regular file `name`, or `nil` when nothing is there.
  /// - Throws: `StoreError` (integrity) when it is a symlink; (usage) when it is not a regular
  ///   file or is larger than `limit` bytes.
  public func read(_ name: String, limit: Int = 64 << 20) throws -> Data? {
    switch Sys.openat(descriptor, name, O_RDONLY | O_NONBLOCK) {
    case .failure(let error) where error.code == ENOENT: return nil
    case .failure(let error) where error.code == ELOOP:
      throw StoreError.symlinkRefused(shown(name))
    case .failure(let error):
      throw StoreError.system("open \(shown(name))", errno: error.code)
    case .success(let fd):
      defer { Sys.close(fd) }
      let status = try Sys.fileStatus(fd, path: shown(name))
      guard status.isRegularFile else {
        throw StoreError.usage("'\(shown(name))' is not a regular file; move it away")
      }
      guard status.size <= Int64(limit) else {
        throw StoreError.usage("'\(shown(name))' is larger than \(limit) bytes")
      }
      var bytes = Data(count: Int(status.size))
      let got = try bytes.withUnsafeMutableBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return try Sys.preadFully(fd, base, count: buffer.count, offset: 0, path: shown(name))
      }
      bytes.count = got
      return bytes
    }
  }

  /// Replaces `name` with `data` atomically: a temporary file in this folder, then a rename
  /// over `name` (which replaces a symlink there instead of following it).
  /// - Parameters:
  ///   - data: the new content.
  ///   - name: the file's name in this folder.
  ///   - mode: its permission bits.
  ///   - durable: fsync the file and the folder (for documents that must survive a crash).
  /// - Throws: `StoreError` when the folder cannot be written.
  public func write(_ data: Data, to name: String, mode: UInt32 = 0o644, durable: Bool = false)
    throws
  {
    let (fd, temporary) = try createTemporaryFile(mode: mode)
    do {
      defer { Sys.close(fd) }
      try data.withUnsafeBytes { buffer in
        if let base = buffer.baseAddress {
          try Sys.writeAll(fd, base, count: buffer.count, path: shown(name))
        }
      }
      try Sys.fchmod(fd, mode, path: shown(name))
      if durable { try Sys.fsync(fd, path: shown(name)) }
      try Sys.renameat(descriptor, temporary, name, shownAs: shown(name))
    } catch {
      try? Sys.unlinkat(descriptor, temporary, isDirectory: false, shownAs: shown(temporary))
      throw error
    }
    if durable { try Sys.fsync(descriptor, path: relativePath.isEmpty ? "." : relativePath) }
  }

  /// Creates a new, empty temporary file in this folder (a short name, so it fits beside a
  /// file whose own name is 255 bytes) and returns its descriptor and name.
  func createTemporaryFile(mode: UInt32) throws -> (descriptor: Int32, name: String) {
    for _ in 0..<8 {
      let name = ".vouch-" + TemporaryName.next()
      switch Sys.openat(descriptor, name, O_WRONLY | O_CREAT | O_EXCL, mode: mode) {
      case .success(let fd): return (fd, name)
      case .failure(let error) where error.code == EEXIST: continue
      case .failure(let error):
        throw StoreError.system("create a file in \(shownSelf)", errno: error.code)
      }
    }
    throw StoreError.failure("cannot create a temporary file in \(shownSelf)")
  }

  /// Renames the temporary file `temporary` (from ``createTemporaryFile(mode:)``) over `name`.
  func publish(_ temporary: String, as name: String) throws {
    try Sys.renameat(descriptor, temporary, name, shownAs: shown(name))
  }

  /// Removes the temporary file `temporary`, ignoring errors.
  func discard(_ temporary: String) {
    try? Sys.unlinkat(descriptor, temporary, isDirectory: false, shownAs: temporary)
  }
}
