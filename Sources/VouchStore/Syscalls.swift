#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The one seam between VouchStore and the C library: every POSIX call the store makes goes through
// a wrapper here whose doc comment names the C function. No C type leaves this file except the
// plain integers of file descriptors.

/// Thin, throwing wrappers over the system calls the store needs.
enum Sys {
  /// Opens `path`. The corresponding C function is open(2); retried on EINTR.
  static func open(_ path: String, _ flags: Int32, mode: UInt32 = 0o644) throws -> Int32 {
    while true {
      let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
      if fd >= 0 { return fd }
      if errno != EINTR { throw StoreError.system("open \(path)") }
    }
  }

  /// Closes `fd`, ignoring errors (nothing useful can be done with them on a read path).
  /// The corresponding C function is close(2).
  static func close(_ fd: Int32) { _ = Glibc.close(fd) }

  /// Reads up to `count` bytes at `offset`, looping over short reads until EOF.
  /// The corresponding C function is pread(2). Returns the bytes read (less than `count` at EOF).
  static func preadFully(
    _ fd: Int32, _ buffer: UnsafeMutableRawPointer, count: Int, offset: Int64, path: String
  ) throws -> Int {
    var done = 0
    while done < count {
      let n = Glibc.pread(fd, buffer + done, count - done, off_t(offset + Int64(done)))
      if n > 0 {
        done += n
      } else if n == 0 {
        break
      } else if errno != EINTR {
        throw StoreError.system("read \(path)")
      }
    }
    return done
  }

  /// Reads the whole regular file at `path`; `nil` when it does not exist.
  /// The corresponding C functions are open(2), fstat(2) and pread(2).
  static func readWholeFile(_ path: String) throws -> [UInt8]? {
    let fd: Int32
    do { fd = try open(path, O_RDONLY) } catch {
      if try status(atPath: path) == nil { return nil }
      throw error
    }
    defer { close(fd) }
    let size = Int(try fileStatus(fd, path: path).size)
    var bytes = [UInt8](repeating: 0, count: size)
    let got = try bytes.withUnsafeMutableBytes { buffer -> Int in
      guard let base = buffer.baseAddress else { return 0 }
      return try preadFully(fd, base, count: size, offset: 0, path: path)
    }
    bytes.removeLast(size - got)
    return bytes
  }

  /// Creates `path` (which must not exist) holding `bytes` with permissions `mode`, flushed to
  /// disk; on any failure the file is removed. The first half of the atomic-put protocol: the
  /// caller renames it into place and flushes the directory.
  /// The corresponding C functions are open(2), write(2), fsync(2) and close(2).
  static func createDurably(_ path: String, _ bytes: UnsafeRawBufferPointer, mode: UInt32) throws {
    let fd = try open(path, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
    defer { close(fd) }
    do {
      if let base = bytes.baseAddress { try writeAll(fd, base, count: bytes.count, path: path) }
      try fsync(fd, path: path)
    } catch {
      unlink(path)
      throw error
    }
  }

  /// Writes all `count` bytes. The corresponding C function is write(2).
  static func writeAll(
    _ fd: Int32, _ buffer: UnsafeRawPointer, count: Int, path: String
  ) throws {
    var done = 0
    while done < count {
      let n = Glibc.write(fd, buffer + done, count - done)
      if n > 0 {
        done += n
      } else if n < 0, errno != EINTR {
        throw StoreError.system("write \(path)")
      }
    }
  }

  /// Flushes a file's data and metadata. The corresponding C function is fsync(2).
  static func fsync(_ fd: Int32, path: String) throws {
    if Glibc.fsync(fd) != 0 { throw StoreError.system("fsync \(path)") }
  }

  /// Opens directory `path` and fsyncs it so a rename inside it is durable.
  /// The corresponding C functions are open(2) with O_DIRECTORY and fsync(2).
  static func fsyncDirectory(_ path: String) throws {
    let fd = try open(path, O_RDONLY | O_DIRECTORY)
    defer { close(fd) }
    try fsync(fd, path: path)
  }

  private typealias SyncfsFunction = @convention(c) (Int32) -> Int32
  private typealias SyncFileRangeFunction = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
  private typealias Renameat2Function =
    @convention(c) (
      Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
    ) -> Int32

  // glibc declares these GNU extensions only under _GNU_SOURCE, which Swift's Glibc module does
  // not define, so they are looked up once by name.
  nonisolated(unsafe) private static let syncfsSymbol = dlsym(nil, "syncfs")
  nonisolated(unsafe) private static let syncFileRangeSymbol = dlsym(nil, "sync_file_range")
  nonisolated(unsafe) private static let renameat2Symbol = dlsym(nil, "renameat2")

  /// Flushes every dirty page and the journal of the filesystem holding `fd`, in one call.
  /// The corresponding C function is syncfs(2); falls back to sync(2) where it is missing.
  static func syncfs(_ fd: Int32, path: String) throws {
    guard let symbol = syncfsSymbol else {
      Glibc.sync()
      return
    }
    if unsafeBitCast(symbol, to: SyncfsFunction.self)(fd) != 0 {
      throw StoreError.system("sync the filesystem of \(path)")
    }
  }

  /// Starts write-back of `fd`'s dirty pages without waiting, so a later syncfs finds little left
  /// to do. The corresponding C function is sync_file_range(2) with SYNC_FILE_RANGE_WRITE.
  static func startWriteback(_ fd: Int32) {
    guard let symbol = syncFileRangeSymbol else { return }
    _ = unsafeBitCast(symbol, to: SyncFileRangeFunction.self)(fd, 0, 0, 2)
  }

  /// Renames `from` to `to` unless `to` exists. Returns `false` when it exists.
  /// The corresponding C function is renameat2(2) with RENAME_NOREPLACE (falling back to
  /// link(2) + unlink(2) where renameat2 is unavailable).
  static func renameNoReplace(_ from: String, _ to: String) throws -> Bool {
    var result: Int32
    if let symbol = renameat2Symbol {
      result = unsafeBitCast(symbol, to: Renameat2Function.self)(AT_FDCWD, from, AT_FDCWD, to, 1)
      if result != 0, errno == EINVAL || errno == ENOSYS {
        result = Glibc.link(from, to)
        if result == 0 { _ = Glibc.unlink(from) }
      }
    } else {
      result = Glibc.link(from, to)
      if result == 0 { _ = Glibc.unlink(from) }
    }
    if result == 0 { return true }
    if errno == EEXIST { return false }
    throw StoreError.system("rename \(from) to \(to)")
  }

  /// Renames `from` over `to`, replacing it atomically. The corresponding C function is rename(2).
  static func rename(_ from: String, _ to: String) throws {
    if Glibc.rename(from, to) != 0 { throw StoreError.system("rename \(from) to \(to)") }
  }

  /// Creates a hard link. The corresponding C function is link(2). Returns the errno on failure.
  static func link(_ from: String, _ to: String) -> Int32 {
    Glibc.link(from, to) == 0 ? 0 : errno
  }

  /// Sets the permission bits of `path`. The corresponding C function is chmod(2).
  static func chmod(_ path: String, _ mode: UInt32) throws {
    if Glibc.chmod(path, mode) != 0 { throw StoreError.system("chmod \(path)") }
  }

  /// Removes a file; a missing file is not an error. The corresponding C function is unlink(2).
  static func unlink(_ path: String) { _ = Glibc.unlink(path) }

  /// Removes a file, throwing when it exists and cannot be removed (a read-only filesystem,
  /// permissions); a missing file is not an error. The corresponding C function is unlink(2).
  static func remove(_ path: String) throws {
    if Glibc.unlink(path) != 0, errno != ENOENT { throw StoreError.system("remove \(path)") }
  }

  /// Creates a directory; an existing one is fine. The corresponding C function is mkdir(2).
  static func mkdir(_ path: String) throws {
    if Glibc.mkdir(path, 0o755) != 0, errno != EEXIST {
      throw StoreError.system("create directory \(path)")
    }
  }

  /// Sets permission bits. The corresponding C function is fchmod(2).
  static func fchmod(_ fd: Int32, _ mode: UInt32, path: String) throws {
    if Glibc.fchmod(fd, mode) != 0 { throw StoreError.system("chmod \(path)") }
  }

  /// Clones `source`'s blocks into `destination` (copy-on-write). The corresponding C call is
  /// ioctl(2) with FICLONE. Returns the errno on failure (EOPNOTSUPP, EXDEV, EINVAL: unsupported).
  static func cloneFile(destination: Int32, source: Int32) -> Int32 {
    let ficlone: UInt = 0x4004_9409  // _IOW(0x94, 9, int)
    return Glibc.ioctl(destination, ficlone, source) == 0 ? 0 : errno
  }

  /// Lists the names in directory `path` (without `.` and `..`); `nil` when it does not exist.
  /// The corresponding C functions are opendir(3), readdir(3) and closedir(3).
  static func listDirectory(_ path: String) throws -> [String]? {
    guard let dir = opendir(path) else {
      if errno == ENOENT { return nil }
      throw StoreError.system("list \(path)")
    }
    defer { closedir(dir) }
    return names(in: dir)
  }

  /// Every name `readdir` returns from the open stream `dir`, without `.` and `..`.
  /// The corresponding C function is readdir(3).
  private static func names(in dir: OpaquePointer) -> [String] {
    var names = [String]()
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != ".", name != ".." { names.append(name) }
    }
    return names
  }

  /// The pid of this process. The corresponding C function is getpid(2).
  static var pid: Int32 { getpid() }

  /// Sleeps for `milliseconds`. The corresponding C function is usleep(3).
  static func sleep(milliseconds: Int) { usleep(UInt32(milliseconds * 1000)) }

  /// What the store needs from a stat(2) result.
  struct Status: Equatable {
    var size: Int64
    var modificationNanoseconds: Int64
    var changeNanoseconds: Int64
    var inode: UInt64
    var device: UInt64
    var isRegularFile: Bool
    var isDirectory: Bool
    /// Only ever true for a status taken without following symlinks (`statusNoFollow`).
    var isSymlink = false
    /// Permission bits (`st_mode & 0o7777`).
    var permissions: UInt32
  }

  private static func status(_ st: Glibc.stat) -> Status {
    let type = st.st_mode & S_IFMT
    return Status(
      size: Int64(st.st_size),
      modificationNanoseconds: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
      changeNanoseconds: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec),
      inode: UInt64(st.st_ino), device: UInt64(st.st_dev),
      isRegularFile: type == S_IFREG, isDirectory: type == S_IFDIR, isSymlink: type == S_IFLNK,
      permissions: UInt32(st.st_mode & 0o7777))
  }

  /// Status of an open file. The corresponding C function is fstat(2).
  static func fileStatus(_ fd: Int32, path: String) throws -> Status {
    var st = Glibc.stat()
    if Glibc.fstat(fd, &st) != 0 { throw StoreError.system("stat \(path)") }
    return status(st)
  }

  /// Status of `relative` under the open directory `directory` (following symlinks), or `nil`
  /// when it does not exist: a short path walk for hot loops. The corresponding C function is
  /// fstatat(2).
  static func status(
    in directory: Int32, _ relative: String, shownAs path: @autoclosure () -> String
  ) throws -> Status? {
    var st = Glibc.stat()
    if fstatat(directory, relative, &st, 0) != 0 {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw StoreError.system("stat \(path())")
    }
    return status(st)
  }

  /// Status of `path` (following symlinks), or `nil` when it does not exist.
  /// The corresponding C function is stat(2).
  static func status(atPath path: String) throws -> Status? {
    var st = Glibc.stat()
    let result = stat(path, &st)
    if result != 0 {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw StoreError.system("stat \(path)")
    }
    return status(st)
  }

  // MARK: Relative to an open directory, never following a symlink

  /// Opens `name` inside the open directory `directory` without following a symlink in `name`.
  /// Returns the descriptor, or the errno (ELOOP or ENOTDIR for a symlink or a non-directory,
  /// ENOENT when missing). The corresponding C function is openat(2) with O_NOFOLLOW.
  static func openat(_ directory: Int32, _ name: String, _ flags: Int32, mode: UInt32 = 0o644)
    -> Result<Int32, Errno>
  {
    while true {
      let fd = Glibc.openat(directory, name, flags | O_CLOEXEC | O_NOFOLLOW, mode)
      if fd >= 0 { return .success(fd) }
      if errno != EINTR { return .failure(Errno(errno)) }
    }
  }

  /// Creates directory `name` inside `directory`; returns the errno on failure (EEXIST when
  /// something, perhaps a symlink, is there). The corresponding C function is mkdirat(2).
  static func mkdirat(_ directory: Int32, _ name: String) -> Int32 {
    Glibc.mkdirat(directory, name, 0o755) == 0 ? 0 : errno
  }

  /// Renames `from` over `to`, both inside `directory`; replaces a symlink at `to` rather than
  /// following it. The corresponding C function is renameat(2).
  static func renameat(_ directory: Int32, _ from: String, _ to: String, shownAs: String) throws {
    if Glibc.renameat(directory, from, directory, to) != 0 {
      throw StoreError.system("rename into \(shownAs)")
    }
  }

  /// Removes `name` inside `directory` (a directory when `isDirectory`); a missing entry is fine.
  /// The corresponding C function is unlinkat(2).
  static func unlinkat(_ directory: Int32, _ name: String, isDirectory: Bool, shownAs: String)
    throws
  {
    if Glibc.unlinkat(directory, name, isDirectory ? AT_REMOVEDIR : 0) != 0, errno != ENOENT {
      throw StoreError.system("remove \(shownAs)")
    }
  }

  /// Status of `name` inside `directory` without following a symlink (a symlink reports
  /// itself), or `nil` when missing. The corresponding C function is fstatat(2) with
  /// AT_SYMLINK_NOFOLLOW.
  static func statusNoFollow(in directory: Int32, _ name: String, shownAs: String) throws
    -> Status?
  {
    var st = Glibc.stat()
    if fstatat(directory, name, &st, AT_SYMLINK_NOFOLLOW) != 0 {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw StoreError.system("stat \(shownAs)")
    }
    return status(st)
  }

  /// Status of `path` without following a symlink at its end, or `nil` when missing.
  /// The corresponding C function is lstat(2).
  static func statusNoFollow(atPath path: String) throws -> Status? {
    var st = Glibc.stat()
    if lstat(path, &st) != 0 {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw StoreError.system("stat \(path)")
    }
    return status(st)
  }

  /// Hard-links the file at `path` as `name` inside `directory`; returns the errno on failure.
  /// The corresponding C function is linkat(2).
  static func linkat(_ path: String, into directory: Int32, _ name: String) -> Int32 {
    Glibc.linkat(AT_FDCWD, path, directory, name, 0) == 0 ? 0 : errno
  }

  /// The names in the open directory `directory` (without `.` and `..`).
  /// The corresponding C functions are dup(2), fdopendir(3), readdir(3) and closedir(3).
  static func listDirectory(_ directory: Int32, shownAs: String) throws -> [String] {
    let copy = dup(directory)
    guard copy >= 0, let dir = fdopendir(copy) else {
      if copy >= 0 { Glibc.close(copy) }
      throw StoreError.system("list \(shownAs)")
    }
    defer { closedir(dir) }
    rewinddir(dir)
    return names(in: dir)
  }

  /// An `errno` value.
  struct Errno: Error, Equatable {
    var code: Int32
    init(_ code: Int32) { self.code = code }
  }

  /// The kinds of open-file-description lock.
  enum LockKind {
    case shared, exclusive
    var type: Int16 { self == .shared ? Int16(F_RDLCK) : Int16(F_WRLCK) }
  }

  // F_OFD_* are Linux-specific and hidden behind _GNU_SOURCE in glibc's headers.
  private static let ofdGetLock: Int32 = 36
  private static let ofdSetLock: Int32 = 37

  /// Tries to take an open-file-description lock on bytes `[start, start + length)` without
  /// waiting. Returns `false` if another description holds a conflicting lock.
  /// The corresponding C call is fcntl(2) with F_OFD_SETLK.
  static func tryLock(_ fd: Int32, _ kind: LockKind, start: Int64, length: Int64) throws -> Bool {
    var lock = flock()
    lock.l_type = kind.type
    lock.l_whence = Int16(SEEK_SET)
    lock.l_start = off_t(start)
    lock.l_len = off_t(length)
    if fcntl(fd, ofdSetLock, &lock) == 0 { return true }
    if errno == EAGAIN || errno == EACCES || errno == EINTR { return false }
    throw StoreError.system("lock the store")
  }

  /// Tries to take a whole-file advisory lock (`flock`) on `fd` without waiting. Returns `false`
  /// when another open file description holds a conflicting one, `nil` when the filesystem
  /// cannot lock this descriptor (some NFS mounts refuse an exclusive lock on a file opened
  /// read-only). The corresponding C function is flock(2) with LOCK_NB.
  static func tryFlock(_ fd: Int32, _ kind: LockKind) -> Bool? {
    let operation = (kind == .shared ? LOCK_SH : LOCK_EX) | LOCK_NB
    if flock(fd, operation) == 0 { return true }
    return errno == EWOULDBLOCK || errno == EINTR ? false : nil
  }

  /// Releases this description's lock on `[start, start + length)`.
  /// The corresponding C call is fcntl(2) with F_OFD_SETLK and F_UNLCK.
  static func unlock(_ fd: Int32, start: Int64, length: Int64) {
    var lock = flock()
    lock.l_type = Int16(F_UNLCK)
    lock.l_whence = Int16(SEEK_SET)
    lock.l_start = off_t(start)
    lock.l_len = off_t(length)
    _ = fcntl(fd, ofdSetLock, &lock)
  }

  /// The start offset of the first lock that would conflict with an exclusive lock on
  /// `[start, ∞)`, or `nil` when there is none. The corresponding C call is fcntl(2) with
  /// F_OFD_GETLK.
  static func firstConflictingLock(_ fd: Int32, start: Int64) -> Int64? {
    var lock = flock()
    lock.l_type = Int16(F_WRLCK)
    lock.l_whence = Int16(SEEK_SET)
    lock.l_start = off_t(start)
    lock.l_len = 0
    guard fcntl(fd, ofdGetLock, &lock) == 0, lock.l_type != Int16(F_UNLCK) else { return nil }
    return Int64(lock.l_start)
  }
}
