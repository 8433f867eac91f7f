import Foundation
import GRDB
import VouchCore

extension Store {
  /// Streams `file` into the store (hash, chunk, atomic writes) and returns its digest.
  ///
  /// Files up to `chunking.threshold` become one object; larger ones become content-defined
  /// chunks (also cut at tensor boundaries in `.safetensors` files) plus a recipe. Takes the
  /// store lock shared. Memory stays bounded (about 20 MiB) whatever the file size.
  ///
  /// With `expected` (the digest the caller last knew the file by, e.g. from the stat cache)
  /// naming a stored recipe of the file's size, the file is first checked against that recipe
  /// (`RecipeMatch`: one SHA-256 pass split over both cores, no chunking); only if it differs is
  /// it hashed and chunked from the start.
  ///
  /// With `link`, a chunked file on the store's filesystem is *adopted*: hashed and chunked as
  /// usual (its recipe is stored, so later copies share its chunks), but instead of writing
  /// chunks, the file itself is hard-linked in as its whole object and made read-only (0444).
  /// Executables and files on another filesystem are copied instead (the result says why);
  /// files at or below the chunking threshold are simply copied.
  /// - Parameters:
  ///   - file: a regular file (symlinks are followed).
  ///   - link: adopt the file by hard link instead of copying its bytes.
  ///   - expected: the content the file probably holds, or `nil`.
  ///   - progress: called with the number of bytes of this file processed so far.
  /// - Returns: the digest, size, chunk count, new bytes and observed stat of the file.
  /// - Throws: `StoreError` (usage) when the file is missing, unreadable, not a regular file, or
  ///   changed while being read; nothing is then published and no index row is written.
  public func ingest(
    file: URL, link: Bool = false, expected: Digest? = nil,
    progress: (@Sendable (Int64) -> Void)? = nil
  ) throws -> IngestedFile {
    try lock.withLock(.shared, for: "add \(file.path)") {
      // Fail on an unreadable index before writing anything.
      let index = try self.index.get()
      let size = try Sys.status(atPath: file.path)?.size ?? 0
      let staged = StagedObjects(
        store: self, flush: size > chunking.threshold ? .filesystem : .eachFile)
      // Remove staged files on any error now, not whenever the worker thread lets go of them.
      defer { staged.discard() }
      var rows = IndexRows()
      var result = try ingestOne(
        file, link: link, expected: expected, staged: staged, rows: &rows, progress: progress)
      try staged.publish()
      result.newBytes = ByteCount(staged.newBytes)
      result.linked = result.linked && staged.adoptedBytes > 0
      try rows.insert(into: index)
      return result
    }
  }

  /// Ingests many files with one flush of the filesystem and one index transaction — far faster
  /// than one `ingest(file:)` per file for thousands of small files. All or nothing: if any file
  /// fails, nothing of the batch is published.
  /// - Parameters:
  ///   - files: regular files (symlinks are followed).
  ///   - link: adopt large files by hard link (see `ingest(file:link:expected:progress:)`).
  ///   - expected: per file, the content it probably holds (see `ingest(file:…)`); empty for
  ///     none.
  ///   - progress: called with the total bytes processed in the batch so far.
  /// - Returns: one result per file, in order.
  /// - Throws: `StoreError` for the first file that cannot be added (see `ingest(file:)`).
  public func ingest(
    files: [URL], link: Bool = false, expected: [Digest?] = [],
    progress: (@Sendable (Int64) -> Void)? = nil
  ) throws -> [IngestedFile] {
    try lock.withLock(.shared, for: "add \(files.count) files") {
      let index = try self.index.get()
      let staged = StagedObjects(store: self, flush: .filesystem)
      defer { staged.discard() }
      var rows = IndexRows()
      var results = [IngestedFile]()
      var done: Int64 = 0
      for (position, file) in files.enumerated() {
        let base = done
        let before = staged.stagedBytes
        var fileProgress: (@Sendable (Int64) -> Void)?
        if let progress { fileProgress = { progress(base + $0) } }
        var result = try ingestOne(
          file, link: link, expected: position < expected.count ? expected[position] : nil,
          staged: staged, rows: &rows, progress: fileProgress)
        result.newBytes = ByteCount(staged.stagedBytes - before)
        done += result.size.value
        results.append(result)
      }
      try staged.publish()
      try rows.insert(into: index)
      return results
    }
  }

  /// Stores `data` as a whole object (for small documents such as directory listings).
  public func ingest(data: Data) throws -> IngestedFile {
    try lock.withLock(.shared, for: "store a document") {
      let index = try self.index.get()
      let staged = StagedObjects(store: self, flush: .eachFile)
      defer { staged.discard() }
      let digest = Digest.of(data)
      try data.withUnsafeBytes { try staged.stageObject($0, digest: digest, compareExisting: true) }
      try staged.publish()
      var rows = IndexRows()
      rows.objects.append((digest, Int64(data.count)))
      try rows.insert(into: index)
      return IngestedFile(
        digest: digest, size: ByteCount(data.count), chunkCount: 1,
        newBytes: ByteCount(staged.newBytes))
    }
  }

  private func ingestOne(
    _ file: URL, link: Bool, expected: Digest?, staged: StagedObjects, rows: inout IndexRows,
    progress: (@Sendable (Int64) -> Void)?
  ) throws -> IngestedFile {
    let path = file.path
    // Examine before opening: opening a FIFO for reading would block.
    guard let kind = try Sys.status(atPath: path) else {
      throw StoreError.usage("\(path) does not exist; check the path")
    }
    guard kind.isRegularFile else {
      throw StoreError.usage("\(path) is not a regular file; add regular files or directories")
    }
    let fd = try Sys.open(path, O_RDONLY | O_NONBLOCK)
    defer { Sys.close(fd) }
    var before = try Sys.fileStatus(fd, path: path)
    guard before.isRegularFile else {
      throw StoreError.usage("\(path) is not a regular file; add regular files or directories")
    }
    if before.size <= chunking.threshold {
      var result = try ingestWhole(
        fd: fd, path: path, size: before.size, staged: staged, rows: &rows)
      progress?(before.size)
      try Self.checkUnchanged(fd: fd, path: path, before: before)
      result.stat = FileStat(status: before)
      return result
    }
    var adoption: String?
    var refusal: String?
    if link {
      (adoption, refusal) = try linkForAdoption(path, status: before, staged: staged)
      // Linking changed the inode's ctime: what must stay unchanged is the state after it.
      before = try Sys.fileStatus(fd, path: path)
    }
    let output: IngestPipeline.Output
    if let expected, let known = storedRecipe(expected), known.size == before.size,
      try isStored(known, staged: staged),
      try RecipeMatch(fd: fd, path: path, recipe: known).matches(progress: progress)
    {
      output = IngestPipeline.Output(digest: expected, chunks: known.chunks)
    } else {
      let cuts =
        file.pathExtension.lowercased() == "safetensors"
        ? SafetensorsLayout.cutPoints(fd: fd, size: before.size, path: path) : []
      let pipeline = IngestPipeline(
        fd: fd, path: path, size: before.size, chunker: chunker, forcedCuts: cuts)
      output = try pipeline.run(staged: adoption == nil ? staged : nil, progress: progress)
    }
    let recipe = Recipe(digest: output.digest, size: before.size, chunks: output.chunks)
    try Self.checkUnchanged(fd: fd, path: path, before: before)
    var linked = false
    if let adoption {
      if try Sys.status(atPath: objectPath(recipe.digest)) == nil,
        try Sys.status(atPath: recipePath(recipe.digest)) != nil
      {
        // Already stored as chunks: adopting too would store the bytes twice.
        Sys.unlink(adoption)
      } else {
        linked = try staged.stageAdopted(adoption, digest: recipe.digest, size: before.size)
        rows.objects.append((recipe.digest, before.size))
      }
    }
    if let stored = try Sys.status(atPath: recipePath(recipe.digest)) {
      // Stored already (a re-add): no need to encode megabytes of JSON only to drop them.
      rows.add(recipe, encodedSize: stored.size)
    } else {
      let bytes = recipe.encoded()
      try staged.stageRecipe(bytes, digest: recipe.digest)
      rows.add(recipe, encodedSize: Int64(bytes.count))
    }
    var result = IngestedFile(
      digest: output.digest, size: ByteCount(before.size), chunkCount: output.chunks.count,
      newBytes: 0, stat: FileStat(status: before))
    result.linked = linked
    result.linkRefusal = refusal
    return result
  }

  /// Whether the content `recipe` describes is readable from the store: as its whole object,
  /// or through every chunk. A recipe whose chunks went missing is re-ingested, which heals it.
  private func isStored(_ recipe: Recipe, staged: StagedObjects) throws -> Bool {
    if try Sys.status(atPath: objectPath(recipe.digest))?.size == recipe.size { return true }
    for chunk in recipe.chunks where try !staged.holds(chunk.digest, size: chunk.size) {
      return false
    }
    return true
  }

  /// Hard-links `path` into `tmp/` for adoption, or says why it is copied instead.
  private func linkForAdoption(
    _ path: String, status: Sys.Status, staged: StagedObjects
  ) throws -> (temp: String?, refusal: String?) {
    if status.permissions & 0o111 != 0 {
      return (nil, "\(path) is executable; copied it instead of linking to keep its x bit")
    }
    switch try staged.linkForAdoption(path) {
    case .linked(let temp):
      // The link must be the inode that is about to be read, not a file renamed in meanwhile.
      guard let linked = try Sys.status(atPath: temp), linked.inode == status.inode,
        linked.device == status.device
      else { throw Self.changed(path) }
      return (temp, nil)
    case .refused(let code):
      let reason =
        code == EXDEV
        ? "is on another filesystem than the store"
        : "cannot be hard-linked (\(String(cString: strerror(code))))"
      return (nil, "\(path) \(reason); copied it instead of linking")
    }
  }

  private func ingestWhole(
    fd: Int32, path: String, size: Int64, staged: StagedObjects, rows: inout IndexRows
  ) throws -> IngestedFile {
    // One extra byte detects a file that grew since fstat.
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(size) + 1, alignment: 16)
    defer { buffer.deallocate() }
    guard let base = buffer.baseAddress else { throw StoreError.failure("out of memory") }
    let got = try Sys.preadFully(fd, base, count: Int(size) + 1, offset: 0, path: path)
    guard got == Int(size) else { throw Self.changed(path) }
    let bytes = UnsafeRawBufferPointer(start: base, count: got)
    let digest = StreamingHash.digest(of: bytes)
    try staged.stageObject(bytes, digest: digest, compareExisting: true)
    rows.objects.append((digest, size))
    return IngestedFile(digest: digest, size: ByteCount(size), chunkCount: 1, newBytes: 0)
  }

  private static func checkUnchanged(fd: Int32, path: String, before: Sys.Status) throws {
    let after = try Sys.fileStatus(fd, path: path)
    let now = try Sys.status(atPath: path)
    guard after == before, now?.inode == before.inode, now?.device == before.device else {
      throw changed(path)
    }
  }

  private static func changed(_ path: String) -> StoreError {
    .usage(
      "\(path) changed while it was being added; wait until nothing writes to it and retry")
  }
}
