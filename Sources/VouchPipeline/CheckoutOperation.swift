import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch checkout`: puts artifact bytes from the store into the workspace.
///
/// Never clobbers local work: a workspace file whose content differs from the manifest is replaced
/// only when its current content is itself in the store (so nothing is lost) or with `force`.
/// The check for such conflicts runs over every selected file before anything is written.
public struct CheckoutOperation: Sendable {
  /// One file to restore.
  struct Item {
    var relativePath: String
    var digest: Digest
    var size: ByteCount
    var executable: Bool
    /// Why the file cannot be written: its folder's listing, which vouches for the file list, is
    /// not in the store (reported when the file's turn comes, like missing content).
    var unverifiable: String?
  }

  /// What a checkout did.
  public struct Summary: Sendable, Codable, Hashable {
    /// Files written from the store.
    public var restored: Int = 0
    /// Files already matching their manifest.
    public var unchanged: Int = 0
    /// Bytes written.
    public var bytes: ByteCount = 0
    /// Paths written, relative to the workspace root.
    public var restoredPaths: [String] = []
  }

  /// The workspace to restore into.
  public let workspace: Workspace

  /// Creates a checkout for `workspace`.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Restores the artifacts selected by `arguments` (all when empty).
  /// - Parameters:
  ///   - arguments: artifact paths, folders holding artifacts, or files inside a folder artifact.
  ///   - currentDirectory: where relative arguments start.
  ///   - mode: how bytes reach the workspace (see `MaterializeMode`).
  ///   - force: replace files with local changes that are not in the store.
  ///   - progress: called with (bytes done, bytes total).
  /// - Returns: what was restored and what already matched.
  /// - Throws: `PipelineError.usage` for an argument naming no artifact, `PipelineError.failure`
  ///   for local changes without `force`, `StoreError` (integrity) for corrupt or missing objects.
  public func run(
    _ arguments: [String], currentDirectory: URL, mode: MaterializeMode, force: Bool,
    progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) throws -> Summary {
    let (items, folderArtifacts) = try select(arguments, currentDirectory: currentDirectory)
    // Every folder is opened from the root one component at a time, never through a symlink.
    let folders = try AnchoredFolders(anchor: workspace.root.path)
    var pending: [Item] = []
    var summary = Summary()
    var conflicts: [String] = []
    for item in items {
      switch try state(of: item, in: folders) {
      case .matches: summary.unchanged += 1
      case .absent, .replaceable: pending.append(item)
      case .localChange:
        if force { pending.append(item) } else { conflicts.append(item.relativePath) }
      }
    }
    if !conflicts.isEmpty {
      let shown = conflicts.prefix(3).joined(separator: ", ") + (conflicts.count > 3 ? ", …" : "")
      throw PipelineError.failure(
        "\(conflicts.count) file(s) have local changes that are not stored (\(shown)); `vouch add` them to keep them, or `vouch checkout --force` to discard them"
      )
    }
    let counter = ProgressCounter(
      total: pending.reduce(0) { $0 + $1.size.value }, report: progress)
    for item in pending {
      if let unverifiable = item.unverifiable { throw PipelineError.integrity(unverifiable) }
      let (opened, name) = try folders.parent(of: item.relativePath, create: true)
      guard let folder = opened else { continue }
      // The store renames the verified bytes over a file or symlink; only a folder must go.
      if try folder.entry(name) == .directory {
        try folder.remove(name)
        folders.forget(item.relativePath)
      }
      let base = counter.done
      do {
        try workspace.store.materialize(
          item.digest, into: folder, name: name, mode: mode, executable: item.executable
        ) { counter.set(base + $0) }
      } catch let error as StoreError where error.category == .usage && mode == .hardlink {
        // Chunked content (and objects on another filesystem) have no single file to link:
        // `hardlink` means "link where possible", so those are copied, still verified.
        try workspace.store.materialize(
          item.digest, into: folder, name: name, mode: .copy, executable: item.executable
        ) { counter.set(base + $0) }
      }
      counter.set(base + item.size.value)
      if let stat = FileStat.current(atPath: workspace.url(for: item.relativePath).path) {
        try workspace.store.recordStat(path: item.relativePath, stat: stat, digest: item.digest)
      }
      summary.restored += 1
      summary.bytes += item.size
      summary.restoredPaths.append(item.relativePath)
    }
    // A folder artifact exists even when it holds no file (an empty folder was added).
    for path in folderArtifacts { _ = try folders.folder(path, create: true) }
    return summary
  }

  private enum FileState { case absent, matches, replaceable, localChange }

  private func state(of item: Item, in folders: AnchoredFolders) throws -> FileState {
    let (opened, name) = try folders.parent(of: item.relativePath, create: false)
    guard let folder = opened, let entry = try folder.entry(name) else { return .absent }
    let path = workspace.url(for: item.relativePath).path
    switch entry {
    case .file: break
    case .symlink:
      // Recorded through a symlink to a file inside the workspace (`vouch add link`): the link
      // stays when its target holds the content; it is never written through.
      let target = WorkspacePathResolver.realPath(path)
      guard WorkspacePathResolver(root: workspace.root).relativeInside(target) != nil,
        FileStat.current(atPath: target) != nil
      else { return .localChange }
      let current = try ContentHasher.digest(ofFileAt: target)
      if current == item.digest { return .matches }
      return try workspace.store.contains(current) ? .replaceable : .localChange
    case .directory, .other: return .localChange
    }
    guard let stat = FileStat.current(atPath: path) else { return .absent }
    let current: Digest
    if let cached = try workspace.store.cachedDigest(forPath: item.relativePath, stat: stat) {
      current = cached
    } else if try workspace.store.fileMatches(path: path, digest: item.digest) == true,
      FileStat.current(atPath: path) == stat
    {
      // Touched but unchanged: told from the stored recipe on both cores, no full hash.
      try workspace.store.recordStat(path: item.relativePath, stat: stat, digest: item.digest)
      return .matches
    } else {
      current = try ContentHasher.digest(ofFileAt: path)
    }
    if current == item.digest { return .matches }
    return try workspace.store.contains(current) ? .replaceable : .localChange
  }

  /// The files selected by `arguments`, and the folder artifacts selected whole.
  func select(_ arguments: [String], currentDirectory: URL) throws -> ([Item], [String]) {
    let manifests = try workspace.allManifests()
    let resolver = WorkspacePathResolver(root: workspace.root)
    let wanted = try arguments.map {
      try resolver.relativePath(of: $0, currentDirectory: currentDirectory)
    }
    var items: [Item] = []
    var folders: [String] = []
    for (index, path) in wanted.enumerated() {
      let matches = ManifestMatch.all(for: path, in: manifests)
      if matches.isEmpty { throw ManifestMatch.noArtifact(at: arguments[index]) }
      for match in matches {
        items += try checkedItems(of: match.manifest).filter { item in
          match.includes(String(item.relativePath.dropFirst(match.manifest.path.count + 1)))
        }
        if match.inner == nil, match.manifest.isDirectory { folders.append(match.manifest.path) }
      }
    }
    if arguments.isEmpty {
      items = try manifests.flatMap(checkedItems(of:))
      folders = manifests.filter(\.isDirectory).map(\.path)
    }
    var seen: Set<String> = []
    return (items.filter { seen.insert($0.relativePath).inserted }, folders)
  }

  /// The files of `manifest`, after checking a folder's file list against its stored listing
  /// (see `StoredContent.listingMismatch`): a list that differs is refused before anything is
  /// written; a listing the store lacks marks the files unverifiable.
  private func checkedItems(of manifest: ArtifactManifest) throws -> [Item] {
    var items = Self.items(of: manifest)
    guard manifest.isDirectory else { return items }
    let content = StoredContent(workspace: workspace)
    if try !workspace.store.contains(manifest.digest) {
      for index in items.indices {
        items[index].unverifiable =
          "the listing \(manifest.digest.short) of folder \(manifest.path) is not in the store, "
          + "so its file list cannot be checked; `vouch fetch` it from a remote that has it"
      }
    } else if let mismatch = try content.listingMismatch(manifest) {
      throw PipelineError.integrity(mismatch)
    }
    return items
  }

  static func items(of manifest: ArtifactManifest) -> [Item] {
    guard let files = manifest.files else {
      return [
        Item(
          relativePath: manifest.path, digest: manifest.digest, size: manifest.size,
          executable: manifest.executable ?? false)
      ]
    }
    return files.map {
      Item(
        relativePath: manifest.path + "/" + $0.path, digest: $0.digest, size: $0.size,
        executable: $0.executable)
    }
  }
}
