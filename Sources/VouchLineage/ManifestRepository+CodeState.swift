import Foundation
import VouchCore

extension ManifestRepository {
  /// The code state a run records: the code commit and whether the working tree differs from it.
  ///
  /// Ignored for the dirty check: `manifests/` (vouch's own records), `.vouch/` (the store),
  /// every `.gitignore` (vouch appends tracked artifact paths to them; ignore rules do not change
  /// what code computes), files git ignores, and `excluding` (paths or folders, typically the
  /// pipeline's artifacts and outputs).
  /// - Parameter excluding: Repository-relative paths (files or folders) to leave out.
  /// - Returns: The code commit, the dirty flag and a digest of the uncommitted changes.
  /// - Throws: `LineageError` when git cannot read the repository or hash a changed file.
  public func codeState(excluding: [String] = []) throws -> CodeState {
    let commit = try git.headCommit().flatMap(codeCommit(from:))
    let excluded = Set(excluding.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
    var changes: [String] = []
    for entry in try git.status() where entry.isChange {
      let path = entry.path
      if ManifestRepository.isBookkeeping(path) || ManifestRepository.isExcluded(path, excluded) {
        continue
      }
      let file = root.appendingPathComponent(path)
      if FileManager.default.fileExists(atPath: file.path) {
        changes.append("\(path)\t\(try git.hashFile(atPath: file.path).hex)")
      } else {
        changes.append("\(path)\tdeleted")
      }
    }
    guard !changes.isEmpty else { return CodeState(commit: commit, dirty: false) }
    let listing = changes.sorted().joined(separator: "\n")
    return CodeState(commit: commit, dirty: true, changes: Digest.of(Data(listing.utf8)))
  }

  /// Walks first parents back from `head` while the content outside `manifests/` stays the
  /// same, and returns the oldest such commit; `nil` when that content is empty (only vouch's
  /// commits so far).
  func codeCommit(from head: GitObjectID) throws -> GitObjectID? {
    let target = try codeEntries(of: git.commit(head).tree)
    guard !target.isEmpty else { return nil }
    var current = head
    // Bounded so a pathological history cannot stall a run; 100,000 vouch commits in a row
    // without a code commit is far beyond any real use.
    for _ in 0..<100_000 {
      guard let parent = try git.commit(current).parents.first,
        try codeEntries(of: git.commit(parent).tree) == target
      else { return current }
      current = parent
    }
    return current
  }

  /// The root tree's entries except `manifests`, in git order.
  private func codeEntries(of tree: GitObjectID) throws -> [GitTreeEntry] {
    try git.treeEntries(tree).filter { $0.name != ManifestRepository.manifestsDirectory }
  }

  private static func isBookkeeping(_ path: String) -> Bool {
    path.hasPrefix(manifestsDirectory + "/") || path.hasPrefix(".vouch/")
      || path == ".gitignore" || path.hasSuffix("/.gitignore")
  }

  private static func isExcluded(_ path: String, _ excluded: Set<String>) -> Bool {
    if excluded.contains(path) { return true }
    var prefix = Substring(path)
    while let slash = prefix.lastIndex(of: "/") {
      prefix = prefix[..<slash]
      if excluded.contains(String(prefix)) { return true }
    }
    return false
  }
}
