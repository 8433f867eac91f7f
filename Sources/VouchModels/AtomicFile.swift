import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Atomic whole-file writes: the seam over `open`, `write`, `fsync`, `rename` and `unlink`.
enum AtomicFile {
  #if canImport(Glibc)
    private static let systemWrite = Glibc.write
  #else
    private static let systemWrite = Darwin.write
  #endif

  /// Writes `bytes` to a temporary file next to `url`, fsyncs it, renames it over `url` and
  /// fsyncs the folder, so readers see the old file or the new one, never a partial one.
  /// The C functions are `open(2)`, `write(2)`, `fsync(2)`, `rename(2)` and `unlink(2)`.
  /// - Throws: `ModelError.io` naming `url`; the temporary file is removed on failure.
  static func write(_ bytes: [UInt8], to url: URL) throws {
    let folder = url.deletingLastPathComponent().path
    let suffix = "tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let temporary = "\(folder)/.\(url.lastPathComponent).\(suffix)"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw ModelError(.io, "\(url.path): cannot create (\(MappedFile.describe(errno)))")
    }
    var failure: String?
    bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return }
      var written = 0
      while written < raw.count {
        let result = systemWrite(descriptor, base + written, raw.count - written)
        if result < 0 {
          if errno == EINTR { continue }
          failure = "cannot write (\(MappedFile.describe(errno)))"
          return
        }
        written += result
      }
    }
    if failure == nil, fsync(descriptor) != 0 {
      failure = "cannot fsync (\(MappedFile.describe(errno)))"
    }
    close(descriptor)
    if failure == nil, rename(temporary, url.path) != 0 {
      failure = "cannot rename into place (\(MappedFile.describe(errno)))"
    }
    if let failure {
      unlink(temporary)
      throw ModelError(.io, "\(url.path): \(failure)")
    }
    let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folderDescriptor >= 0 {
      fsync(folderDescriptor)
      close(folderDescriptor)
    }
  }
}
