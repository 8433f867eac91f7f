import Foundation

extension ManifestRepository {
  /// The versions of `path` (a file or folder, repository-relative) across the history reachable
  /// from `revision`, newest first: one entry per commit that added, changed or deleted it
  /// compared with its first parent.
  /// - Parameters:
  ///   - path: For example `manifests/metric.lock.json`.
  ///   - revision: Where the walk starts; `HEAD` by default.
  ///   - limit: At most this many versions.
  /// - Returns: Empty on a repository without commits.
  /// - Throws: `LineageError` when `revision` names no commit or git cannot read the history.
  public func history(of path: String, from revision: String = "HEAD", limit: Int = 1_000)
    throws -> [FileVersion]
  {
    guard revision != "HEAD" || !git.isHeadUnborn else { return [] }
    let start = try resolve(revision)
    var versions: [FileVersion] = []
    for id in try git.walk(from: start) where versions.count < limit {
      let info = try git.commit(id)
      let entry = try git.entry(atPath: path, inTree: info.tree)
      let before = try info.parents.first.flatMap {
        try git.entry(atPath: path, inTree: git.commit($0).tree)
      }
      guard entry?.id != before?.id else { continue }
      var contents: Data? = nil
      if let entry, case .blob = entry.kind { contents = try git.blob(entry.id) }
      versions.append(FileVersion(commit: try summary(of: id), contents: contents))
    }
    return versions
  }
}
