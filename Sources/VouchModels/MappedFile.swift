#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A read-only memory mapping of a whole file: the seam over `open`, `fstat`, `mmap` and `munmap`.
///
/// Weights are never copied into memory as a whole; pages are faulted in as tensors are read and
/// the kernel may drop them again under memory pressure. The mapping lives as long as this object.
public final class MappedFile: @unchecked Sendable {
  // @unchecked: the mapping is PROT_READ and never changes after init.

  /// The file's path, used in error messages.
  public let path: String
  /// The file's length in bytes.
  public let count: Int
  private let base: UnsafeRawPointer?

  /// Maps `path` read-only. The C functions are `open(2)`, `fstat(2)` and `mmap(2)`.
  /// - Throws: `ModelError` (`.missing` or `.io`) naming the file.
  public init(path: String) throws {
    self.path = path
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      if code == ENOENT {
        throw ModelError(.missing, "\(path): no such file")
      }
      throw ModelError(.io, "\(path): cannot open (\(MappedFile.describe(code)))")
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw ModelError(.io, "\(path): cannot stat (\(MappedFile.describe(errno)))")
    }
    guard (status.st_mode & S_IFMT) == S_IFREG else {
      throw ModelError(.io, "\(path): not a regular file")
    }
    count = Int(status.st_size)
    if count == 0 {
      base = nil
      return
    }
    guard let pointer = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0),
      pointer != MAP_FAILED
    else {
      throw ModelError(.io, "\(path): cannot map (\(MappedFile.describe(errno)))")
    }
    base = UnsafeRawPointer(pointer)
  }

  deinit {
    // The C function is munmap(2).
    if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
  }

  /// Calls `body` with the bytes in `range`, which the caller has checked lies inside the file.
  public func withBytes<R>(
    _ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> R
  ) rethrows -> R {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the mapping")
    guard let base else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    return try body(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
  }

  /// `strerror(code)` as a Swift string.
  static func describe(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
  }
}
