import Foundation
import VouchStore

/// Lists the regular files under a directory quickly (readdir + lstat, no Foundation enumerator),
/// following symlinks to files only while they stay inside the workspace.
public struct FileWalker: Sendable {
  /// One regular file found by the walk.
  public struct Entry: Sendable, Hashable {
    /// Path relative to the walked directory, `/`-separated.
    public var path: String
    /// Absolute path of the bytes (the symlink's target for a followed symlink).
    public var absolutePath: String
    /// Stat-cache key of the bytes.
    public var stat: FileStat
    /// Whether any execute bit is set.
    public var executable: Bool
  }

  /// The workspace root; symlinks leading outside it are refused.
  public let root: URL

  /// Creates a walker for the workspace at `root`.
  public init(root: URL) { self.root = root }

  /// Every regular file under `directory`, sorted by path (byte order).
  /// - Parameters:
  ///   - directory: absolute path of the folder to walk.
  ///   - shownAs: how to name the folder in error messages.
  /// - Returns: the files, sorted by path.
  /// - Throws: `PipelineError.usage` for an unreadable folder, a symlink leaving the workspace, or
  ///   something that is neither a file nor a folder (FIFO, socket, device).
  public func files(under directory: String, shownAs: String) throws -> [Entry] {
    var entries: [Entry] = []
    try walk(directory, relative: "", shownAs: shownAs, into: &entries)
    entries.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    return entries
  }

  private func walk(
    _ directory: String, relative: String, shownAs: String, into entries: inout [Entry]
  ) throws {
    guard let handle = opendir(directory) else {
      throw Self.unreadable(shownAs + (relative.isEmpty ? "" : "/" + relative), errno: errno)
    }
    defer { closedir(handle) }
    while let item = readdir(handle) {
      let name = withUnsafePointer(to: item.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name == "." || name == ".." { continue }
      let path = directory + "/" + name
      let childRelative = relative.isEmpty ? name : relative + "/" + name
      var info = stat()
      guard lstat(path, &info) == 0 else { continue }  // vanished during the walk
      var kind = info.st_mode & S_IFMT
      var bytesPath = path
      if kind == S_IFLNK {
        let target = WorkspacePathResolver.realPath(path)
        guard let inside = WorkspacePathResolver(root: root).relativeInside(target) else {
          throw PipelineError.usage(
            "'\(shownAs)/\(childRelative)' is a symlink that leads outside the workspace (to \(target)); replace it with a copy of the data"
          )
        }
        try WorkspacePathResolver.refuseVouchOrGit(inside, shownAs: "\(shownAs)/\(childRelative)")
        guard stat(target, &info) == 0 else {
          throw PipelineError.usage(
            "'\(shownAs)/\(childRelative)' is a broken symlink; remove it or point it at a file")
        }
        kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
          throw PipelineError.usage(
            "'\(shownAs)/\(childRelative)' is a symlink to a folder; vouch follows symlinks to files only, so replace it with the folder itself"
          )
        }
        bytesPath = target
      }
      if kind == S_IFDIR {
        try walk(path, relative: childRelative, shownAs: shownAs, into: &entries)
      } else if kind == S_IFREG {
        entries.append(
          Entry(
            path: childRelative, absolutePath: bytesPath, stat: FileStat(info),
            executable: info.st_mode & 0o111 != 0))
      } else {
        throw PipelineError.usage(
          "'\(shownAs)/\(childRelative)' is neither a regular file nor a folder (a FIFO, socket or device); move it out of the artifact"
        )
      }
    }
  }

  /// Checks that `path` (a file or folder) can be opened for reading.
  /// - Throws: `PipelineError.usage` naming `shownAs` and the fix.
  public static func checkReadable(path: String, shownAs: String) throws {
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw PipelineError.usage(
        "'\(shownAs)' does not exist; check the spelling, or create the file before adding it")
    }
    let kind = info.st_mode & S_IFMT
    guard kind == S_IFREG || kind == S_IFDIR else {
      throw PipelineError.usage(
        "'\(shownAs)' is neither a regular file nor a folder (a FIFO, socket or device); vouch stores files and folders only"
      )
    }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | (kind == S_IFDIR ? O_DIRECTORY : 0))
    guard descriptor >= 0 else { throw unreadable(shownAs, errno: errno) }
    close(descriptor)
  }

  static func unreadable(_ shownAs: String, errno code: Int32) -> PipelineError {
    let reason = String(cString: strerror(code))
    return PipelineError.usage(
      "cannot read '\(shownAs)': \(reason.lowercased()); give yourself read access (chmod u+r '\(shownAs)') or leave it out"
    )
  }
}

extension FileStat {
  /// The stat-cache key of a `stat` result: size, modification time in nanoseconds, inode.
  public init(_ info: stat) {
    self.init(
      size: Int64(info.st_size),
      mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
      inode: UInt64(info.st_ino))
  }

  /// The stat-cache key of the file at `path` (following symlinks), or `nil` if it is missing.
  public static func current(atPath path: String) -> FileStat? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return FileStat(info)
  }
}
