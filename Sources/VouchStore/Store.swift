import Foundation
import VouchCore

/// The content-addressed store under `.vouch/`.
///
/// Layout (version 1):
/// ```
/// .vouch/config                      canonical JSON: layout version, chunker and chunk sizes
/// .vouch/objects/sha256/ab/<hex>     whole files and chunks, read-only, named by their SHA-256
/// .vouch/recipes/sha256/ab/<hex>     how to rebuild a chunked file, named by the file's SHA-256
/// .vouch/tmp/                        writes in progress (leftovers are harmless, removed later)
/// .vouch/index.sqlite                the index (WAL): a rebuildable cache plus the stat cache
/// .vouch/lock                        the reader/writer lock (see `StoreLock`)
/// ```
/// Objects are immutable: written to `tmp/`, flushed, renamed into place (never over an existing
/// name) and the directory flushed; index rows are added only afterwards. Every read re-hashes.
/// `Store` is `Sendable`: many threads may ingest and materialize through one value.
public final class Store: Sendable {
  /// The only layout version this build understands.
  public static let layoutVersion = 1

  /// How long lock waits last when neither the caller nor `VOUCH_LOCK_TIMEOUT` says otherwise.
  public static let defaultLockTimeout: Double = 60

  /// The `.vouch` directory.
  public let directory: URL

  /// The chunk sizes this store uses.
  public let chunking: ChunkingParameters

  /// Whether `vouch add` adopts large files by hard link unless told otherwise (`"add":
  /// {"link": true}` in `.vouch/config`).
  public let linksByDefault: Bool

  let lock: StoreLock
  let index: IndexHandle
  let chunker: Chunker
  let root: String

  private init(directory: URL, config: StoreConfig, lockTimeout: Double) {
    self.directory = directory
    root = directory.standardizedFileURL.path
    chunking = config.chunking
    linksByDefault = config.add?.link ?? false
    chunker = Chunker(config.chunking)
    lock = StoreLock(path: root + "/lock", timeout: lockTimeout)
    index = IndexHandle(path: root + "/index.sqlite")
  }

  /// Creates an empty store (`config`, `objects/`, `recipes/`, `tmp/`, `index.sqlite` in WAL
  /// mode) at `directory`, which must not already hold a store.
  /// - Parameters:
  ///   - directory: the `.vouch` directory to create.
  ///   - chunking: chunk sizes (the default suits files from megabytes to many gigabytes).
  ///   - lockTimeout: seconds to wait for a lock; `nil` reads `VOUCH_LOCK_TIMEOUT`, else 60.
  /// - Returns: the new, empty store.
  /// - Throws: `StoreError` (usage) when a store already exists there or `VOUCH_LOCK_TIMEOUT` is
  ///   not a number of seconds.
  public static func create(
    at directory: URL, chunking: ChunkingParameters = .standard, lockTimeout: Double? = nil
  ) throws -> Store {
    try chunking.validate()
    let lockTimeout = try lockTimeout ?? LockTimeout.fromEnvironment() ?? defaultLockTimeout
    let path = directory.standardizedFileURL.path
    let configPath = path + "/config"
    if try Sys.status(atPath: configPath) != nil {
      throw StoreError.usage(
        "\(path) already holds a vouch store; use it as it is, or remove it to start over")
    }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for sub in ["objects", "objects/sha256", "recipes", "recipes/sha256", "tmp"] {
      try Sys.mkdir(path + "/" + sub)
    }
    let config = StoreConfig(
      layoutVersion: layoutVersion, chunker: StoreConfig.chunkerName, chunking: chunking)
    let store = Store(directory: directory, config: config, lockTimeout: lockTimeout)
    _ = try store.index.get()
    // The config is written last and atomically: its presence marks a complete store.
    let bytes = try CanonicalJSON.prettyData(for: config)
    try store.writeSmallFileAtomically(bytes, to: configPath, mode: 0o644)
    return store
  }

  /// Opens an existing store; refuses a layout version it does not know.
  ///
  /// A damaged `index.sqlite` does not make `open` fail: operations that need the index throw an
  /// integrity error telling the user to run `vouch check --repair-index`, and `repairIndex()`
  /// works. Leftover temporary files are removed when no other process uses the store.
  /// - Parameters:
  ///   - directory: the `.vouch` directory.
  ///   - lockTimeout: seconds to wait for a lock; `nil` reads `VOUCH_LOCK_TIMEOUT`, else 60.
  /// - Returns: the open store.
  /// - Throws: `StoreError` (noWorkspace) when there is no store, (failure) for an unknown layout,
  ///   (usage) when `VOUCH_LOCK_TIMEOUT` is not a number of seconds.
  public static func open(at directory: URL, lockTimeout: Double? = nil) throws -> Store {
    try checkLayoutFolders(directory.standardizedFileURL.path)
    let lockTimeout = try lockTimeout ?? LockTimeout.fromEnvironment() ?? defaultLockTimeout
    let config = try StoreConfig.load(directory.appendingPathComponent("config"))
    let store = Store(directory: directory, config: config, lockTimeout: lockTimeout)
    try store.removeStaleTemporaryFiles()
    return store
  }

  /// The store's own folders, which must be real folders: a symlink among them (committed to
  /// git inside `.vouch/`, say) would send objects outside the workspace.
  static let layoutFolders = ["objects", "objects/sha256", "recipes", "recipes/sha256", "tmp"]

  /// Refuses a store whose directory or layout folders are symlinks.
  /// - Throws: `StoreError` (integrity) naming the symlink.
  private static func checkLayoutFolders(_ root: String) throws {
    for relative in [""] + layoutFolders {
      let path = relative.isEmpty ? root : root + "/" + relative
      if try Sys.statusNoFollow(atPath: path)?.isSymlink == true {
        throw StoreError.symlinkRefused(path)
      }
    }
  }

  /// Whether the content named by `digest` is stored (whole object or recipe).
  public func contains(_ digest: Digest) throws -> Bool {
    try Sys.status(atPath: objectPath(digest)) != nil
      || Sys.status(atPath: recipePath(digest)) != nil
  }

  /// Runs `body` while holding the store lock shared, so no `garbageCollect` can start until it
  /// returns — hold it from `ingest` until the manifests naming the new objects are written,
  /// or gc could delete objects nothing references yet. Nested store calls inside `body` are
  /// fine (shared holders never wait for each other).
  /// - Throws: `StoreError` (locked) when gc holds the lock past the timeout; rethrows `body`.
  public func withSharedLock<T>(_ body: () throws -> T) throws -> T {
    try lock.withLock(.shared, for: "use the store", body)
  }

  // MARK: Paths

  /// `objects/sha256/ab/<hex>`.
  func objectPath(_ digest: Digest) -> String {
    let hex = digest.hex
    return "\(root)/objects/sha256/\(hex.prefix(2))/\(hex)"
  }

  /// `recipes/sha256/ab/<hex>`.
  func recipePath(_ digest: Digest) -> String {
    let hex = digest.hex
    return "\(root)/recipes/sha256/\(hex.prefix(2))/\(hex)"
  }

  /// `tmp/`.
  var temporaryDirectory: String { root + "/tmp" }

  /// Deletes everything in `tmp/` if no other process holds the lock (its files are then
  /// leftovers of a killed writer).
  func removeStaleTemporaryFiles() throws {
    _ = try lock.withLockIfFree(.exclusive) {
      for name in try Sys.listDirectory(temporaryDirectory) ?? [] {
        Sys.unlink(temporaryDirectory + "/" + name)
      }
    }
  }

  /// Writes a small file by the tmp + fsync + rename + fsync-directory protocol.
  func writeSmallFileAtomically(_ bytes: Data, to path: String, mode: UInt32) throws {
    let temp = temporaryDirectory + "/" + TemporaryName.next()
    try bytes.withUnsafeBytes { try Sys.createDurably(temp, $0, mode: mode) }
    do {
      try Sys.rename(temp, path)
    } catch {
      Sys.unlink(temp)
      throw error
    }
    try Sys.fsyncDirectory((path as NSString).deletingLastPathComponent)
  }
}

/// Unique names for files in `tmp/`: pid, a process-wide counter and random bits.
enum TemporaryName {
  private static let counter = Counter()

  /// A fresh name.
  static func next() -> String {
    "\(Sys.pid)-\(counter.increment())-\(UInt32.random(in: 0...UInt32.max))"
  }

  private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
      lock.lock()
      defer { lock.unlock() }
      value += 1
      return value
    }
  }
}
