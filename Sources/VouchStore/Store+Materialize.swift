import Foundation
import VouchCore

extension Store {
  /// Writes the content of `digest` to `destination` atomically, verifying the digest as it
  /// writes (see ``materialize(_:into:name:mode:executable:progress:)``). Missing parent
  /// directories are created; `destination`'s own path is trusted (vouch chose it), so use the
  /// anchored form for paths read from records.
  /// - Parameters:
  ///   - digest: the content to write.
  ///   - destination: the file to create or replace.
  ///   - mode: how to place the bytes (see `MaterializeMode`).
  ///   - progress: called with the number of bytes written so far.
  /// - Returns: the mode actually used (`auto` resolves to one of the others).
  /// - Throws: `StoreError` (integrity) when the content is missing or corrupt; (usage) when the
  ///   requested mode is impossible here.
  @discardableResult
  public func materialize(
    _ digest: Digest, to destination: URL, mode: MaterializeMode = .auto,
    progress: (@Sendable (Int64) -> Void)? = nil
  ) throws -> MaterializeMode {
    let directory = destination.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return try materialize(
      digest, into: try AnchoredDirectory.anchor(at: directory.path),
      name: destination.lastPathComponent, mode: mode, progress: progress)
  }

  /// Writes the content of `digest` as `name` inside `directory`, verifying every byte.
  ///
  /// The bytes go to a temporary file in `directory`, which is renamed over `name` only once the
  /// whole content hashed right; on any error the temporary file is removed and `name` is left
  /// untouched. A symlink at `name` is replaced, never written through. Takes the store lock
  /// shared.
  /// - Parameters:
  ///   - digest: the content to write.
  ///   - directory: the folder, reached without following symlinks.
  ///   - name: the file's name in it.
  ///   - mode: how to place the bytes (see `MaterializeMode`).
  ///   - executable: give the file mode 0755 (a hardlink request then copies instead).
  ///   - progress: called with the number of bytes written so far.
  /// - Returns: the mode actually used.
  /// - Throws: `StoreError` (integrity) when the content is missing or corrupt; (usage) when the
  ///   requested mode is impossible here.
  @discardableResult
  public func materialize(
    _ digest: Digest, into directory: AnchoredDirectory, name: String,
    mode: MaterializeMode = .auto, executable: Bool = false,
    progress: (@Sendable (Int64) -> Void)? = nil
  ) throws -> MaterializeMode {
    try lock.withLock(.shared, for: "check out \(directory.shown(name))") {
      let source = try source(for: digest)
      // A hardlink shares the object's read-only, non-executable inode.
      let effective = executable && mode == .hardlink ? .copy : mode
      let (fd, temporary) = try directory.createTemporaryFile(mode: executable ? 0o755 : 0o644)
      do {
        defer { Sys.close(fd) }
        let used = try place(
          source, into: directory, temporary: temporary, fd: fd, mode: effective,
          progress: progress)
        // As `chmod 755` would (the umask applies only to the non-executable default).
        if executable, used != .hardlink { try Sys.fchmod(fd, 0o755, path: name) }
        try directory.publish(temporary, as: name)
        return used
      } catch {
        directory.discard(temporary)
        throw error
      }
    }
  }

  /// Reads the verified content of `digest` (small objects only; use `materialize` for files).
  /// - Throws: `StoreError` (integrity) when the content is missing or corrupt.
  public func data(for digest: Digest) throws -> Data {
    try lock.withLock(.shared, for: "read \(digest.short)") {
      var out = Data()
      try stream(source(for: digest)) { out.append(contentsOf: $0) }
      return out
    }
  }

  /// Re-hashes the content of `digest` (every chunk and the whole) without writing it anywhere.
  /// - Throws: `StoreError` (integrity) when it is missing or corrupt.
  public func verify(_ digest: Digest) throws {
    try lock.withLock(.shared, for: "verify \(digest.short)") {
      try stream(source(for: digest)) { _ in }
    }
  }

  /// Fills the empty temporary file `temporary` (open as `fd`) in `directory` with `source`.
  private func place(
    _ source: ContentSource, into directory: AnchoredDirectory, temporary: String, fd: Int32,
    mode: MaterializeMode, progress: (@Sendable (Int64) -> Void)?
  ) throws -> MaterializeMode {
    guard case .whole(let digest, let object) = source else {
      if mode == .reflink || mode == .hardlink {
        throw StoreError.usage(
          "\(source.digest.short) is stored in chunks, which cannot be"
            + " \(mode == .reflink ? "reflinked" : "hardlinked");"
            + " use --mode copy or auto")
      }
      try copy(source, to: fd, shownAs: temporary, progress: progress)
      return .copy
    }
    if mode == .reflink || mode == .auto {
      let failure = try reflink(object, to: fd)
      if failure == nil {
        // The clone shares the object's blocks: verify what the destination now reads.
        try verifyClone(fd, digest: digest, shownAs: temporary, progress: progress)
        return .reflink
      }
      if mode == .reflink, let failure {
        throw StoreError.usage(
          "cannot reflink into \(directory.shown(temporary)): \(String(cString: strerror(failure)));"
            + " the filesystem may not support it, use --mode copy")
      }
    }
    if mode == .hardlink {
      try stream(source, progress: progress) { _ in }
      // The empty temporary file gives way to a link to the verified object.
      directory.discard(temporary)
      let failure = Sys.linkat(object, into: directory.descriptor, temporary)
      if failure == 0 { return .hardlink }
      throw StoreError.usage(
        "cannot hardlink \(object) into \(directory.shownSelf): \(String(cString: strerror(failure)));"
          + " the workspace may be on another filesystem, use --mode copy")
    }
    try copy(source, to: fd, shownAs: temporary, progress: progress)
    return .copy
  }

  /// Clones `object`'s blocks into the open file `fd`; returns the errno when cloning is
  /// unsupported (the file stays empty).
  private func reflink(_ object: String, to fd: Int32) throws -> Int32? {
    let source = try Sys.open(object, O_RDONLY)
    defer { Sys.close(source) }
    let failure = Sys.cloneFile(destination: fd, source: source)
    return failure == 0 ? nil : failure
  }

  /// Re-hashes what the open file `fd` reads back.
  private func verifyClone(
    _ fd: Int32, digest: Digest, shownAs: String, progress: (@Sendable (Int64) -> Void)?
  ) throws {
    var hash = StreamingHash()
    let blockSize = 1 << 20
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 4096)
    defer { buffer.deallocate() }
    var offset: Int64 = 0
    while true {
      let got = try Sys.preadFully(fd, buffer, count: blockSize, offset: offset, path: shownAs)
      if got == 0 { break }
      hash.update(UnsafeRawBufferPointer(start: buffer, count: got))
      offset += Int64(got)
      progress?(offset)
    }
    let actual = hash.finalize()
    guard actual == digest else {
      quarantine(objectPath(digest), digest: digest)
      throw Self.quarantined("object", digest, actual: actual)
    }
  }

  private func copy(
    _ source: ContentSource, to fd: Int32, shownAs: String,
    progress: (@Sendable (Int64) -> Void)?
  ) throws {
    try stream(source, progress: progress) { bytes in
      if let base = bytes.baseAddress {
        try Sys.writeAll(fd, base, count: bytes.count, path: shownAs)
      }
    }
  }
}
