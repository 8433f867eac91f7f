import Foundation

extension ManifestRepository {
  /// Commits the working tree's `manifests/` and nothing else.
  ///
  /// The new tree is HEAD's tree with its `manifests/` subtree replaced by the working tree's
  /// `manifests/` (files git would add: `.gitignore` rules are respected). The commit moves the
  /// current branch (created on an unborn branch) or the detached HEAD. Afterwards only the index
  /// entries under `manifests/` are updated to match the commit, so whatever else the user had
  /// staged stays staged and uncommitted, and the working tree is not touched at all.
  ///
  /// - Parameters:
  ///   - message: The commit message.
  ///   - author: The author and committer; `nil` takes git's `user.name`/`user.email`.
  /// - Returns: The new commit, or `nil` when `manifests/` already matches HEAD.
  /// - Throws: `LineageError` during a merge/rebase, without an identity, or when git fails.
  @discardableResult
  public func commitManifests(message: String, author: GitAuthor? = nil) throws -> GitObjectID? {
    try ensureCommittable()
    let identity = try author ?? configuredAuthor()
    let parent = try git.headCommit()
    let baseTree = try parent.map { try git.commit($0).tree }
    let directory = ManifestRepository.manifestsDirectory
    let (subtree, files) = try writeWorkingTree(directory)
    var rootEntries = try baseTree.map { try git.treeEntries($0) } ?? []
    rootEntries.removeAll { $0.name == directory }
    if let subtree { rootEntries.append(GitTreeEntry(name: directory, id: subtree, kind: .tree)) }
    if parent == nil, rootEntries.isEmpty { return nil }
    let tree = try git.writeTree(rootEntries)
    if tree == baseTree { return nil }
    let commit = try git.createCommit(
      tree: tree, parents: parent.map { [$0] } ?? [], message: message, name: identity.name,
      email: identity.email)
    try git.replaceIndexEntries(under: directory, with: files)
    return commit
  }

  /// Writes blobs and trees for the working-tree folder `relative` and returns the tree (or `nil`
  /// when it holds nothing git would add) and the repository-relative paths of its files.
  private func writeWorkingTree(_ relative: String) throws -> (GitObjectID?, [String]) {
    let folder = root.appendingPathComponent(relative, isDirectory: true)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else { return (nil, []) }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    } catch {
      throw LineageError.repository("cannot list '\(folder.path)': \(error.localizedDescription)")
    }
    var entries: [GitTreeEntry] = []
    var files: [String] = []
    for name in names where name != ".git" {
      let path = "\(relative)/\(name)"
      var info = stat()
      guard lstat(folder.appendingPathComponent(name).path, &info) == 0 else { continue }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        guard try !git.isIgnored(path + "/") else { continue }
        let (subtree, subfiles) = try writeWorkingTree(path)
        guard let subtree else { continue }
        entries.append(GitTreeEntry(name: name, id: subtree, kind: .tree))
        files += subfiles
      case S_IFREG, S_IFLNK:
        guard try !git.isIgnored(path) else { continue }
        let blob = try git.writeBlob(fromWorkdir: path)
        let kind: GitEntryKind =
          info.st_mode & S_IFMT == S_IFLNK
          ? .symlink : .blob(executable: info.st_mode & 0o111 != 0)
        entries.append(GitTreeEntry(name: name, id: blob, kind: kind))
        files.append(path)
      default:
        continue
      }
    }
    guard !entries.isEmpty else { return (nil, []) }
    return (try git.writeTree(entries), files)
  }
}
