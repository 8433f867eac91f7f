import Foundation
import VouchCore

extension Store {
  /// Writes the content of `digest` to `destination` atomically, verifying the digest as it
  /// writes.
  ///
  /// The bytes go to a temporary file in the destination's directory, which is renamed over
  /// `destination` only once the whole content hashed right; on any error the temporary file is
  /// removed and `destination` is left untouched. Missing parent directories are created. Takes
  /// the store lock shared.
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
    try lock.withLock(.shared, for: "check out \(destination.path)") {
      let source = try source(for: digest)
      let directory = destination.deletingLastPathComponent()
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let temp = directory.appendingPathComponent(
        ".\(destination.lastPathComponent).vouch-\(TemporaryName.next())"
      ).path
      do {
        let used = try place(source, at: temp, mode: mode, progress: progress)
        try Sys.rename(temp, destination.path)
        return used
      } catch {
        Sys.unlink(temp)
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

  private func place(
    _ source: ContentSource, at temp: String, mode: MaterializeMode,
    progress: (@Sendable (Int64) -> Void)?
  ) throws -> MaterializeMode {
    guard case .whole(let digest, let object) = source else {
      if mode == .reflink || mode == .hardlink {
        throw StoreError.usage(
          "\(source.digest.short) is stored in chunks, which cannot be"
            + " \(mode == .reflink ? "reflinked" : "hardlinked");"
            + " use --mode copy or auto")
      }
      try copy(source, to: temp, progress: progress)
      return .copy
    }
    if mode == .reflink || mode == .auto {
      if let failure = try reflink(object, to: temp) {
        if mode == .reflink {
          throw StoreError.usage(
            "cannot reflink into \(temp): \(String(cString: strerror(failure)));"
              + " the filesystem may not support it, use --mode copy")
        }
      } else {
        // The clone shares the object's blocks: verify what the destination now reads.
        try stream(.whole(digest: digest, path: temp), progress: progress) { _ in }
        return .reflink
      }
    }
    if mode == .hardlink {
      try stream(source, progress: progress) { _ in }
      let failure = Sys.link(object, temp)
      if failure == 0 { return .hardlink }
      throw StoreError.usage(
        "cannot hardlink \(object) to \(temp): \(String(cString: strerror(failure)));"
          + " the workspace may be on another filesystem, use --mode copy")
    }
    try copy(source, to: temp, progress: progress)
    return .copy
  }

  /// Clones `object` into a new file at `temp`; returns the errno when cloning is unsupported.
  private func reflink(_ object: String, to temp: String) throws -> Int32? {
    let source = try Sys.open(object, O_RDONLY)
    defer { Sys.close(source) }
    let destination = try Sys.open(temp, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
    defer { Sys.close(destination) }
    let failure = Sys.cloneFile(destination: destination, source: source)
    if failure != 0 {
      Sys.unlink(temp)
      return failure
    }
    return nil
  }

  private func copy(
    _ source: ContentSource, to temp: String, progress: (@Sendable (Int64) -> Void)?
  ) throws {
    let fd = try Sys.open(temp, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
    defer { Sys.close(fd) }
    try stream(source, progress: progress) { bytes in
      if let base = bytes.baseAddress {
        try Sys.writeAll(fd, base, count: bytes.count, path: temp)
      }
    }
  }
}
