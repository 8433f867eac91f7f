import Foundation
import VouchCore

/// Where the bytes of one stored file come from, with verified streaming.
enum ContentSource {
  /// A whole-file object at `path`.
  case whole(digest: Digest, path: String)
  /// A recipe over chunk objects.
  case chunked(Recipe, recipeSize: Int64)

  /// The content's digest.
  var digest: Digest {
    switch self {
    case .whole(let digest, _): digest
    case .chunked(let recipe, _): recipe.digest
    }
  }
}

extension Store {
  /// Finds the content named `digest`: a whole object, else a recipe (decoded and validated).
  /// - Throws: `StoreError` (integrity) when it is not stored or its recipe is damaged.
  func source(for digest: Digest) throws -> ContentSource {
    let object = objectPath(digest)
    if try Sys.status(atPath: object) != nil { return .whole(digest: digest, path: object) }
    let (recipe, size) = try recipe(digest)
    return .chunked(recipe, recipeSize: size)
  }

  /// Reads and validates the recipe of `digest` and returns it with its size on disk.
  /// - Throws: `StoreError` (integrity) when it is missing or damaged.
  func recipe(_ digest: Digest) throws -> (recipe: Recipe, size: Int64) {
    let path = recipePath(digest)
    let fd: Int32
    do { fd = try Sys.open(path, O_RDONLY) } catch {
      throw StoreError.integrity(
        "\(digest) is not in the store; re-add the file it names, or fetch it from a remote")
    }
    defer { Sys.close(fd) }
    let size = try Sys.fileStatus(fd, path: path).size
    var bytes = Data(count: Int(size))
    let got = try bytes.withUnsafeMutableBytes { buffer -> Int in
      guard let base = buffer.baseAddress else { return 0 }
      return try Sys.preadFully(fd, base, count: buffer.count, offset: 0, path: path)
    }
    bytes.count = got
    do {
      return (try Recipe.decode(bytes, name: digest), size)
    } catch let error as StoreError where !Recipe.hasUnknownVersion(bytes) {
      // Damaged, not merely newer: moved aside so re-adding the file writes it again.
      quarantine(path, digest: digest)
      throw error
    }
  }

  /// Streams the content of `source` to `body` in order, re-hashing every chunk and the whole.
  ///
  /// `body` may see bytes before the final check fails, so callers write to a temporary file
  /// and discard it on error.
  /// - Throws: `StoreError` (integrity) on the first mismatch or missing chunk.
  func stream(
    _ source: ContentSource, progress: (@Sendable (Int64) -> Void)? = nil,
    into body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    var whole = StreamingHash()
    var done: Int64 = 0
    switch source {
    case .whole(let digest, let path):
      let blockSize = 1 << 20
      let buffer = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 4096)
      defer { buffer.deallocate() }
      let fd = try Sys.open(path, O_RDONLY)
      defer { Sys.close(fd) }
      while true {
        let got = try Sys.preadFully(fd, buffer, count: blockSize, offset: done, path: path)
        if got == 0 { break }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: got)
        whole.update(bytes)
        try body(bytes)
        done += Int64(got)
        progress?(done)
      }
      let actual = whole.finalize()
      guard actual == digest else {
        quarantine(path, digest: digest)
        throw Self.quarantined("object", digest, actual: actual)
      }
    case .chunked(let recipe, _):
      try ChunkedReader(store: self, recipe: recipe).stream(progress: progress, into: body)
    }
  }

  /// Reads and verifies one chunk of the file `file` into `buffer` (at least `chunk.size` bytes),
  /// from its standalone object or, when there is none, from inside an adopted whole object that
  /// `packed` knows.
  func readChunk(
    _ chunk: Recipe.Chunk, into buffer: UnsafeMutableRawPointer, of file: Digest,
    packed: PackedChunks? = nil
  ) throws -> UnsafeRawBufferPointer {
    var path = objectPath(chunk.digest)
    var offset: Int64?
    var opened = try? Sys.open(path, O_RDONLY)
    if opened == nil, let location = packed?.location(of: chunk.digest),
      location.size == chunk.size
    {
      path = objectPath(location.container)
      offset = location.offset
      opened = try? Sys.open(path, O_RDONLY)
    }
    guard let fd = opened else {
      throw StoreError.integrity(
        "chunk \(chunk.digest.short) of \(file) is missing from the store; run `vouch check`"
          + " and re-add the file")
    }
    defer { Sys.close(fd) }
    let count = Int(chunk.size)
    // One byte more than expected reveals an object longer than the recipe says.
    var got = try Sys.preadFully(fd, buffer, count: count, offset: offset ?? 0, path: path)
    if got == count, offset == nil, try Sys.fileStatus(fd, path: path).size != chunk.size {
      got = count + 1
    }
    // The damaged file: the chunk's own object, or the adopted object holding it.
    let damaged = offset == nil ? chunk.digest : (packed?.location(of: chunk.digest)?.container)
    guard got == count else {
      if let damaged { quarantine(path, digest: damaged) }
      throw StoreError.integrity(
        "chunk \(chunk.digest.short) of \(file) has \(got < count ? "been truncated" : "grown")"
          + " (\(got) of \(count) bytes); it was moved to .vouch/quarantine/, so re-add the file"
          + " or fetch it from a remote")
    }
    let bytes = UnsafeRawBufferPointer(start: buffer, count: count)
    let actual = StreamingHash.digest(of: bytes)
    guard actual == chunk.digest else {
      if let damaged { quarantine(path, digest: damaged) }
      throw Self.quarantined("chunk", chunk.digest, actual: actual)
    }
    return bytes
  }

  /// The integrity error for bytes that do not hash to their name.
  static func corrupt(_ what: String, _ digest: Digest, actual: Digest) -> StoreError {
    .integrity(
      "\(what) \(digest) is corrupt (its bytes hash to \(actual.short)); run `vouch check` to"
        + " see what it breaks, then re-add or fetch the file")
  }
}
