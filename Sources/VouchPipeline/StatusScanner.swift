import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch status`: compares the workspace with the manifests.
///
/// Fast because each file is first looked up in the store's stat cache (size, mtime in ns, inode):
/// only files whose stat changed since vouch last saw them are re-hashed, and a re-hash that
/// matches refreshes the cache so the next run is fast again.
public struct StatusScanner: Sendable {
  /// The workspace to scan.
  public let workspace: Workspace

  /// Creates a scanner for `workspace`.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// The status of every artifact (or of those whose path is in `only`), sorted by path.
  public func scan(only: Set<String>? = nil) throws -> [ArtifactStatus] {
    let cache = StatLookup(store: workspace.store)
    var statuses: [ArtifactStatus] = []
    for manifest in try workspace.allManifests() where only?.contains(manifest.path) ?? true {
      statuses.append(try status(of: manifest, cache: cache))
    }
    try cache.flush()
    return statuses
  }

  /// The status of one artifact.
  func status(of manifest: ArtifactManifest, cache: StatLookup) throws -> ArtifactStatus {
    let absolute = workspace.url(for: manifest.path).path
    var result = ArtifactStatus(
      path: manifest.path, kind: manifest.kind, state: .unchanged, changes: [], unchangedFiles: 0)
    guard let files = manifest.files else {
      switch try fileMatches(
        absolute, statPath: manifest.path, digest: manifest.digest, cache: cache)
      {
      case nil: result.state = .deleted
      case false?: result.state = .modified
      case true?: result.state = .unchanged
      }
      return result
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      result.state = FileManager.default.fileExists(atPath: absolute) ? .modified : .deleted
      return result
    }
    let present = try FileWalker(root: workspace.root).files(
      under: absolute, shownAs: manifest.path)
    let presentByPath = Dictionary(uniqueKeysWithValues: present.map { ($0.path, $0) })
    let recorded = Set(files.map(\.path))
    for file in files {
      guard let entry = presentByPath[file.path] else {
        result.changes.append(.init(path: file.path, change: .deleted))
        continue
      }
      let matches = try entryMatches(
        entry, statPath: manifest.path + "/" + file.path, digest: file.digest, size: file.size,
        cache: cache)
      if matches {
        result.unchangedFiles += 1
      } else {
        result.changes.append(.init(path: file.path, change: .modified))
      }
    }
    for entry in present where !recorded.contains(entry.path) {
      result.changes.append(.init(path: entry.path, change: .new))
    }
    result.changes.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    if !result.changes.isEmpty { result.state = .modified }
    return result
  }

  /// Whether the file at `path` has content `digest`; `nil` when it does not exist.
  func fileMatches(_ path: String, statPath: String, digest: Digest, cache: StatLookup) throws
    -> Bool?
  {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    guard info.st_mode & S_IFMT == S_IFREG else { return false }
    let entry = FileWalker.Entry(
      path: "", absolutePath: path, stat: FileStat(info), executable: info.st_mode & 0o111 != 0)
    return try entryMatches(entry, statPath: statPath, digest: digest, size: nil, cache: cache)
  }

  /// Whether a walked file has content `digest`, via the stat cache or a re-hash.
  func entryMatches(
    _ entry: FileWalker.Entry, statPath: String, digest: Digest, size: ByteCount?,
    cache: StatLookup
  ) throws -> Bool {
    if let size, size.value != entry.stat.size { return false }
    if let cached = try cache.digest(forPath: statPath, stat: entry.stat) {
      return cached == digest
    }
    // A stored recipe answers "still the same?" on both cores, stopping at the first difference.
    switch try workspace.store.fileMatches(path: entry.absolutePath, digest: digest) {
    case true?:
      guard FileStat.current(atPath: entry.absolutePath) == entry.stat else { return false }
      try cache.record(path: statPath, stat: entry.stat, digest: digest)
      return true
    case false?:
      return false
    case nil:
      break
    }
    let actual = try ContentHasher.digest(ofFileAt: entry.absolutePath)
    guard FileStat.current(atPath: entry.absolutePath) == entry.stat else { return false }
    try cache.record(path: statPath, stat: entry.stat, digest: actual)
    return actual == digest
  }
}
