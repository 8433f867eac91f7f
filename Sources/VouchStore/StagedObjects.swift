import Foundation
import VouchCore

/// Objects written to `tmp/` and not yet visible, then published all at once.
///
/// Publishing follows the atomic-put protocol with few flushes: data first (one `syncfs` for a
/// batch, or an `fsync` per file for a single small object), then `renameat2(RENAME_NOREPLACE)`
/// of every chunk into `objects/`, a flush of the renames, and only then the recipe that needs
/// them, flushed in turn. A crash at any point leaves only complete, correctly named objects
/// plus leftovers in `tmp/`; an existing object is never overwritten.
final class StagedObjects {
  /// How data reaches the disk before the renames.
  enum Flush {
    /// `fsync` each file as it is written (cheap for one small object).
    case eachFile
    /// One `syncfs` before the renames (cheap for thousands of chunks).
    case filesystem
  }

  private struct Item {
    var temp: String
    var final: String
    var size: Int64
    /// Replaces a damaged object of the wrong size (the only overwrite the store does).
    var heals = false
    /// A hard link to an adopted workspace file (`--link`): made read-only and flushed before
    /// it is renamed into place.
    var adopts = false
  }

  /// What `linkForAdoption` did.
  enum LinkResult {
    /// Linked into `tmp/` at this path.
    case linked(String)
    /// Linking is impossible here (the errno: EXDEV for another filesystem, …).
    case refused(Int32)
  }

  private let store: Store
  private let flush: Flush
  private var objects: [Item] = []
  private var recipes: [Item] = []
  private var seen: Set<Digest> = []
  /// Chunks inside adopted whole objects count as stored (`nil`: they do not).
  private let packed: PackedChunks?
  /// Bytes renamed into place by `publish` (objects another process stored first excluded).
  private(set) var newBytes: Int64 = 0
  /// Links made by `linkForAdoption` (removed by `discard`; removing an already renamed one
  /// is a harmless no-op).
  private var adoptedLinks: [String] = []
  /// Bytes of adopted files published (linked, not copied).
  private(set) var adoptedBytes: Int64 = 0
  /// Bytes written to `tmp/` so far.
  private(set) var stagedBytes: Int64 = 0

  /// An empty set of staged objects for `store`; with `skipsPacked`, a chunk that lives inside
  /// an adopted whole object counts as stored and is not written again.
  init(store: Store, flush: Flush, skipsPacked: Bool = true) {
    self.store = store
    self.flush = flush
    packed = skipsPacked ? .indexed(store) : nil
    objectsDirectory = try? Sys.open(store.root + "/objects/sha256", O_RDONLY | O_DIRECTORY)
  }

  deinit {
    discard()
    if let objectsDirectory { Sys.close(objectsDirectory) }
  }

  /// `objects/sha256`, open for cheap existence checks of thousands of chunks.
  private let objectsDirectory: Int32?

  /// The status of the object at `relative` (`ab/<hex>` under `objects/sha256`), or `nil`.
  private func existing(_ relative: String) throws -> Sys.Status? {
    guard let objectsDirectory else {
      return try Sys.status(atPath: store.root + "/objects/sha256/" + relative)
    }
    return try Sys.status(
      in: objectsDirectory, relative, shownAs: self.store.root + "/objects/sha256/" + relative)
  }

  /// Writes `bytes` (named `digest`) to `tmp/` unless the object already exists or is staged.
  ///
  /// An existing object of the wrong size (truncated by a disk fault or by hand) is staged too
  /// and replaced on publish: the new bytes hashed to the name, the old ones cannot have. With
  /// `compareExisting` (whole small files, where it costs one read of at most the chunking
  /// threshold), an existing object of the right size is compared byte for byte and replaced
  /// when it differs, so re-adding an intact file heals a damaged copy; chunks of large files
  /// are not re-read (their damage heals once a verified read has quarantined them).
  func stageObject(
    _ bytes: UnsafeRawBufferPointer, digest: Digest, compareExisting: Bool = false
  ) throws {
    guard seen.insert(digest).inserted else { return }
    // One hex conversion per chunk: this runs 27,000 times per GiB, mostly to find the chunk
    // stored already.
    let hex = digest.hex
    let relative = "\(hex.prefix(2))/\(hex)"
    var heals = false
    if let existing = try existing(relative) {
      let path = store.root + "/objects/sha256/" + relative
      if existing.size == Int64(bytes.count), try !compareExisting || holdsExactly(bytes, at: path)
      {
        return
      }
      heals = true
    } else if packed?.location(of: digest)?.size == Int64(bytes.count) {
      return
    }
    let final = store.root + "/objects/sha256/" + relative
    objects.append(
      Item(temp: try write(bytes), final: final, size: Int64(bytes.count), heals: heals))
    stagedBytes += Int64(bytes.count)
  }

  /// Whether the file at `path` holds exactly `bytes` (read back in full; small objects only).
  private func holdsExactly(_ bytes: UnsafeRawBufferPointer, at path: String) throws -> Bool {
    guard let stored = try Sys.readWholeFile(path), stored.count == bytes.count else {
      return false
    }
    guard let expected = bytes.baseAddress, !stored.isEmpty else { return true }
    return stored.withUnsafeBytes { stored in
      guard let base = stored.baseAddress else { return false }
      return memcmp(base, expected, bytes.count) == 0
    }
  }

  /// Whether the object `digest` of `size` bytes is stored: as a file of that size, or inside
  /// an adopted whole object.
  func holds(_ digest: Digest, size: Int64) throws -> Bool {
    let hex = digest.hex
    if let existing = try existing("\(hex.prefix(2))/\(hex)") { return existing.size == size }
    return packed?.location(of: digest)?.size == size
  }

  /// Writes a recipe to `tmp/` unless one for `digest` already exists.
  func stageRecipe(_ bytes: Data, digest: Digest) throws {
    let final = store.recipePath(digest)
    if try Sys.status(atPath: final) != nil { return }
    let temp = try bytes.withUnsafeBytes { try write($0) }
    recipes.append(Item(temp: temp, final: final, size: Int64(bytes.count)))
    stagedBytes += Int64(bytes.count)
  }

  /// Hard-links the file at `path` into `tmp/`, so it can later become a whole object without
  /// copying a byte; the link is removed by `discard` unless `stageAdopted` publishes it.
  /// - Throws: `StoreError` for failures other than "linking is impossible here".
  func linkForAdoption(_ path: String) throws -> LinkResult {
    let temp = store.temporaryDirectory + "/" + TemporaryName.next()
    let failure = Sys.link(path, temp)
    switch failure {
    case 0:
      adoptedLinks.append(temp)
      return .linked(temp)
    case EXDEV, EPERM, EMLINK, ENOTSUP, EOPNOTSUPP: return .refused(failure)
    default: throw StoreError.system("link \(path) into \(temp)", errno: failure)
    }
  }

  /// Publishes the linked file at `temp` (from `linkForAdoption`) as the whole object `digest`,
  /// unless that object already exists (the link is then dropped).
  /// - Returns: whether the file will be adopted.
  func stageAdopted(_ temp: String, digest: Digest, size: Int64) throws -> Bool {
    let final = store.objectPath(digest)
    guard seen.insert(digest).inserted, try Sys.status(atPath: final) == nil else {
      Sys.unlink(temp)
      return false
    }
    objects.append(Item(temp: temp, final: final, size: size, adopts: true))
    return true
  }

  private func write(_ bytes: UnsafeRawBufferPointer) throws -> String {
    let temp = store.temporaryDirectory + "/" + TemporaryName.next()
    let fd = try Sys.open(temp, O_WRONLY | O_CREAT | O_EXCL, mode: 0o444)
    defer { Sys.close(fd) }
    do {
      if let base = bytes.baseAddress {
        try Sys.writeAll(fd, base, count: bytes.count, path: temp)
      }
      switch flush {
      case .eachFile: try Sys.fsync(fd, path: temp)
      case .filesystem: Sys.startWriteback(fd)
      }
    } catch {
      Sys.unlink(temp)
      throw error
    }
    return temp
  }

  /// Removes every staged file (after an error, or when nothing should be published).
  func discard() {
    for item in objects + recipes { Sys.unlink(item.temp) }
    for temp in adoptedLinks { Sys.unlink(temp) }
    adoptedLinks = []
    objects = []
    recipes = []
  }

  /// Makes every staged object visible, durably, chunks before recipes.
  func publish() throws {
    if objects.isEmpty && recipes.isEmpty { return }
    if flush == .filesystem {
      if objects.contains(where: { !$0.adopts }) || recipes.count > 8 {
        try syncFilesystem()
      } else {
        // Only an adopted file (flushed by itself on rename) and a recipe or two: fsync those
        // rather than flush every dirty page of the filesystem, other programs' included.
        for item in recipes {
          let fd = try Sys.open(item.temp, O_RDONLY)
          defer { Sys.close(fd) }
          try Sys.fsync(fd, path: item.temp)
        }
      }
    }
    var touched = Set<String>()
    for item in objects { try rename(item, touched: &touched) }
    objects = []
    if !recipes.isEmpty {
      try flushDirectories(touched)
      touched = []
      for item in recipes { try rename(item, touched: &touched) }
      recipes = []
    }
    try flushDirectories(touched)
  }

  private func rename(_ item: Item, touched: inout Set<String>) throws {
    let directory = (item.final as NSString).deletingLastPathComponent
    if !touched.contains(directory) {
      if let status = try Sys.statusNoFollow(atPath: directory) {
        // A fan-out folder that is a symlink (committed inside `.vouch/`) would take objects
        // outside the store.
        guard status.isDirectory else { throw StoreError.symlinkRefused(directory) }
      } else {
        try Sys.mkdir(directory)
        touched.insert((directory as NSString).deletingLastPathComponent)
      }
      touched.insert(directory)
    }
    if item.adopts {
      // Read-only like every object (the workspace file shares the inode and its mode), and
      // its data on disk before the name appears (cheap when it is already at rest).
      try Sys.chmod(item.temp, 0o444)
      let fd = try Sys.open(item.temp, O_RDONLY)
      defer { Sys.close(fd) }
      try Sys.fsync(fd, path: item.temp)
      if try Sys.renameNoReplace(item.temp, item.final) {
        adoptedBytes += item.size
      } else {
        Sys.unlink(item.temp)
      }
    } else if item.heals {
      try Sys.rename(item.temp, item.final)
      newBytes += item.size
    } else if try Sys.renameNoReplace(item.temp, item.final) {
      newBytes += item.size
    } else {
      // Another writer stored the same bytes first; objects are never overwritten.
      Sys.unlink(item.temp)
    }
  }

  private func flushDirectories(_ directories: Set<String>) throws {
    if directories.count > 8 {
      try syncFilesystem()
    } else {
      for directory in directories.sorted() { try Sys.fsyncDirectory(directory) }
    }
  }

  private func syncFilesystem() throws {
    let fd = try Sys.open(store.temporaryDirectory, O_RDONLY | O_DIRECTORY)
    defer { Sys.close(fd) }
    try Sys.syncfs(fd, path: store.temporaryDirectory)
  }
}
