import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch add`: stores files and folders and records each as an artifact manifest.
///
/// Every path is validated before anything is stored, so a bad argument leaves nothing behind.
/// Bytes go to the store first; the manifest and the `.gitignore` line are written last, under the
/// workspace lock, so a crash leaves at worst unreferenced objects (which `vouch gc` removes),
/// never a manifest naming missing content.
public struct ArtifactAdder: Sendable {
  /// What happened to one artifact.
  public struct Outcome: Sendable, Codable, Hashable {
    /// Whether the artifact is new, changed or identical to its previous manifest.
    public enum Change: String, Sendable, Codable { case new, updated, unchanged }
    /// The manifest written.
    public var manifest: ArtifactManifest
    /// New, updated or unchanged.
    public var change: Change
    /// Bytes newly written to the store for this artifact.
    public var newBytes: ByteCount
    /// Files adopted by hard link (`link: true`) instead of copied.
    public var linkedFiles = 0
    /// Why files asked to be linked were copied instead, one line each (for stderr).
    public var notes: [String] = []
  }

  /// The workspace to add into.
  public let workspace: Workspace

  /// Creates an adder for `workspace`.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Stores each path of `arguments` (typed in `currentDirectory`) and writes its manifest.
  /// - Parameters:
  ///   - arguments: files and folders as the user typed them.
  ///   - kind: the kind to record, or `nil` to detect it (``ArtifactKindDetector``).
  ///   - link: adopt large files by hard link instead of copying them (they become read-only;
  ///     see `Store.ingest(file:link:progress:)`).
  ///   - currentDirectory: where relative arguments start.
  ///   - progress: called with (bytes done, bytes total) over all arguments.
  /// - Returns: one outcome per distinct argument, in order.
  /// - Throws: `PipelineError.usage` for a bad path (before storing anything), `StoreError` from the
  ///   store (a file changing while read, a lock timeout, …).
  public func add(
    _ arguments: [String], kind: ArtifactKind?, link: Bool = false, currentDirectory: URL,
    progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) throws -> [Outcome] {
    let plans = try plan(arguments, currentDirectory: currentDirectory)
    let total = plans.reduce(Int64(0)) { sum, plan in
      sum + plan.files.reduce(0) { $0 + $1.stat.size }
    }
    let counter = ProgressCounter(total: total, report: progress)
    return try WorkspaceLock.withLock(at: workspace.collectionLockURL, shared: true) {
      try plans.map { try store($0, kind: kind, link: link, counter: counter) }
    }
  }

  /// A validated argument: its workspace path and the files to store.
  struct Plan {
    var path: String
    var shownAs: String
    var isDirectory: Bool
    var files: [FileWalker.Entry]
  }

  func plan(_ arguments: [String], currentDirectory: URL) throws -> [Plan] {
    guard !arguments.isEmpty else {
      throw PipelineError.usage(
        "name at least one file or folder to add, e.g. `vouch add data/train.csv`")
    }
    let resolver = WorkspacePathResolver(root: workspace.root)
    let walker = FileWalker(root: workspace.root)
    let existing = try workspace.allManifests().map(\.path)
    var plans: [Plan] = []
    var seen: Set<String> = []
    for argument in arguments {
      let path = try resolver.existingArtifactPath(of: argument, currentDirectory: currentDirectory)
      guard seen.insert(path).inserted else { continue }
      try Self.checkManifestName(path, shownAs: argument)
      let absolute = WorkspacePathResolver.realPath(workspace.url(for: path).path)
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory)
      var files: [FileWalker.Entry]
      if isDirectory.boolValue {
        files = try walker.files(under: absolute, shownAs: argument)
        for file in files {
          try FileWalker.checkReadable(path: file.absolutePath, shownAs: "\(argument)/\(file.path)")
          try WorkspacePathResolver.checkIgnorableName(
            file.path, shownAs: "\(argument)/\(file.path)")
        }
      } else {
        guard let stat = FileStat.current(atPath: absolute) else {
          throw PipelineError.usage("'\(argument)' vanished while being added; try again")
        }
        files = [
          FileWalker.Entry(
            path: "", absolutePath: absolute, stat: stat,
            executable: FileManager.default.isExecutableFile(atPath: absolute))
        ]
      }
      plans.append(
        Plan(path: path, shownAs: argument, isDirectory: isDirectory.boolValue, files: files))
    }
    try Self.checkOverlaps(plans.map(\.path), existing: existing)
    return plans
  }

  /// Refuses a name whose manifest (`<name>.json`) would pass the filesystem's 255-byte limit for
  /// one name, before anything is stored.
  static func checkManifestName(_ path: String, shownAs: String) throws {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let limit = RecordedPath.maximumComponentBytes - ".json".utf8.count
    guard name.utf8.count <= limit else {
      throw PipelineError.usage(
        "'\(shownAs)' has a name of \(name.utf8.count) bytes; its manifest name would pass the "
          + "filesystem's limit of \(RecordedPath.maximumComponentBytes) bytes, so rename it to at "
          + "most \(limit) bytes")
    }
  }

  /// Refuses artifacts nested in one another (they would fight over the same bytes).
  static func checkOverlaps(_ paths: [String], existing: [String]) throws {
    for path in paths {
      for other in existing + paths where other != path {
        if path.hasPrefix(other + "/") {
          throw PipelineError.usage(
            "'\(path)' is inside the artifact '\(other)'; add '\(other)' again to record the change instead"
          )
        }
        if other.hasPrefix(path + "/") {
          throw PipelineError.usage(
            "'\(path)' contains the artifact '\(other)'; delete manifests/artifacts/\(other).json first to merge it into '\(path)'"
          )
        }
      }
    }
  }

  private func store(
    _ plan: Plan, kind: ArtifactKind?, link: Bool, counter: ProgressCounter
  ) throws -> Outcome {
    let store = workspace.store
    let cache = StatLookup(store: store)
    var digests: [String: Digest] = [:]
    var pending: [FileWalker.Entry] = []
    var newBytes = ByteCount(0)
    var linkedFiles = 0
    var notes: [String] = []
    for file in plan.files {
      // Files vouch has seen with this exact stat and whose content is still stored are not
      // re-read: re-adding a large unchanged folder costs a stat per file.
      if let cached = try cache.digest(forPath: statPath(plan, file), stat: file.stat),
        try store.contains(cached)
      {
        digests[file.path] = cached
        counter.advance(by: file.stat.size)
      } else {
        pending.append(file)
      }
    }
    let base = counter.done
    let urls = pending.map { URL(fileURLWithPath: $0.absolutePath) }
    // A stat-changed file most likely still holds what it held: the store checks that first.
    let expected = try pending.map { try cache.lastDigest(forPath: statPath(plan, $0)) }
    let ingested: [IngestedFile]
    if plan.isDirectory {
      ingested = try store.ingest(files: urls, link: link, expected: expected) { done in
        counter.set(base + done)
      }
    } else {
      ingested = try zip(urls, expected).map { url, expected in
        try store.ingest(file: url, link: link, expected: expected) { done in
          counter.set(base + done)
        }
      }
    }
    for (file, result) in zip(pending, ingested) {
      // The store guarantees the file was stable while it read it; this catches a change
      // between the walk (whose size goes into the manifest) and the read.
      guard result.stat == file.stat, result.size.value == file.stat.size else {
        let shownAs = file.path.isEmpty ? plan.shownAs : plan.shownAs + "/" + file.path
        throw PipelineError.usage(
          "'\(shownAs)' changed while being added; add it again once it is no longer being written")
      }
      try cache.record(path: statPath(plan, file), stat: file.stat, digest: result.digest)
      digests[file.path] = result.digest
      newBytes += result.newBytes
      if result.linked { linkedFiles += 1 }
      if let note = result.linkRefusal { notes.append(note) }
    }
    try cache.flush()
    let rows = plan.files.compactMap { file in
      digests[file.path].map {
        ArtifactFile(
          path: file.path, digest: $0, size: ByteCount(file.stat.size), executable: file.executable)
      }
    }
    let manifest: ArtifactManifest
    if plan.isDirectory {
      let listing = DirectoryListing(files: rows)
      let stored = try store.ingest(data: listing.canonicalData())
      newBytes += stored.newBytes
      let detected = ArtifactKindDetector.kind(
        ofDirectoryNamed: (plan.path as NSString).lastPathComponent,
        files: listing.files.map(\.path))
      manifest = ArtifactManifest(
        path: plan.path, kind: kind ?? detected, digest: stored.digest, size: listing.totalSize,
        files: listing.files)
    } else {
      guard let row = rows.first else {
        throw PipelineError.failure(
          "internal: no digest for '\(plan.shownAs)'; run `vouch add` again")
      }
      let detected = ArtifactKindDetector.kind(
        ofFileNamed: (plan.path as NSString).lastPathComponent)
      manifest = ArtifactManifest(
        path: plan.path, kind: kind ?? detected, digest: row.digest, size: row.size, files: nil,
        executable: row.executable)
    }
    return try WorkspaceLock.withLock(at: workspace.lockURL) {
      let previous = try workspace.manifest(for: plan.path)
      let change: Outcome.Change =
        previous == nil ? .new : (previous == manifest ? .unchanged : .updated)
      if change != .unchanged { try workspace.write(manifest) }
      try workspace.ignoreInGitLocked([Workspace.gitignorePattern(for: plan.path)])
      return Outcome(
        manifest: manifest, change: change, newBytes: newBytes, linkedFiles: linkedFiles,
        notes: notes)
    }
  }
}

extension ArtifactAdder {
  /// The stat-cache key of `file`: its workspace-relative path.
  fileprivate func statPath(_ plan: Plan, _ file: FileWalker.Entry) -> String {
    file.path.isEmpty ? plan.path : plan.path + "/" + file.path
  }
}

/// Thread-safe running total for progress callbacks.
final class ProgressCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Int64 = 0
  let total: Int64
  let report: (@Sendable (Int64, Int64) -> Void)?

  init(total: Int64, report: (@Sendable (Int64, Int64) -> Void)?) {
    self.total = total
    self.report = report
  }

  var done: Int64 { lock.withLock { value } }

  func set(_ newValue: Int64) {
    lock.withLock { value = newValue }
    report?(newValue, total)
  }

  func advance(by delta: Int64) { set(done + delta) }
}
