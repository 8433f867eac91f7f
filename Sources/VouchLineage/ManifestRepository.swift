import Foundation

/// Where HEAD stands.
public enum GitHead: Hashable, Sendable {
  /// A branch with no commits yet (a fresh `git init`); `branch` is `refs/heads/…`.
  case unborn(branch: String)
  /// A branch with commits.
  case branch(String, commit: GitObjectID)
  /// HEAD points at a commit directly.
  case detached(commit: GitObjectID)

  /// The commit HEAD resolves to, if any.
  public var commit: GitObjectID? {
    switch self {
    case .unborn: nil
    case .branch(_, let commit), .detached(let commit): commit
    }
  }
}

/// The git repository that holds a workspace's `manifests/`, reached through libgit2.
///
/// vouch reads manifests at any revision, records the code state of runs, and commits changes
/// under `manifests/` only (see ``commitManifests(message:author:)``). Not thread-safe: use one
/// instance per task.
public final class ManifestRepository {
  /// The folder under the working tree that vouch owns.
  public static let manifestsDirectory = "manifests"

  let git: GitRepository

  /// The working tree's root folder.
  public let root: URL

  /// Opens the repository containing `directory` (searching parent folders).
  /// - Throws: `LineageError` (usage) when there is no repository or it is bare.
  public init(discoveringFrom directory: URL) throws {
    guard let git = try GitRepository.discover(from: directory.path) else {
      throw LineageError.repository(
        "'\(directory.path)' is not inside a git repository; run `git init` there first")
    }
    guard !git.isBare, let workdir = git.workdir else {
      throw LineageError.repository(
        "'\(git.gitDirectory)' is a bare git repository and has no working tree for manifests; "
          + "clone it (`git clone`) and run vouch in the clone")
    }
    self.git = git
    root = URL(fileURLWithPath: workdir, isDirectory: true).standardizedFileURL
  }

  /// Throws unless a commit can be made now: no merge, rebase, cherry-pick, revert, bisect or
  /// `git am` may be in progress, so vouch never mixes its commit into one of those.
  public func ensureCommittable() throws {
    let state = git.state
    guard state != .none else { return }
    let how =
      switch state {
      case .merge: "finish it with `git commit` or abandon it with `git merge --abort`"
      case .rebase: "finish it with `git rebase --continue` or `git rebase --abort`"
      case .cherryPick: "finish it with `git cherry-pick --continue` or `--abort`"
      case .revert: "finish it with `git revert --continue` or `--abort`"
      case .bisect: "end it with `git bisect reset`"
      case .applyMailbox: "finish it with `git am --continue` or `git am --abort`"
      case .none: ""
      }
    throw LineageError.repository(
      "a \(state.rawValue) is in progress in \(root.path); \(how), then rerun vouch "
        + "(or pass --no-commit)")
  }

  /// Where HEAD stands: unborn branch, branch at a commit, or detached.
  public func head() throws -> GitHead {
    let commit = try git.headCommit()
    if let branch = try git.headBranch() {
      guard let commit else { return .unborn(branch: branch) }
      return .branch(branch, commit: commit)
    }
    guard let commit else {
      throw LineageError.repository("HEAD in \(root.path) points nowhere; check `git status`")
    }
    return .detached(commit: commit)
  }

  /// The commit `revision` names (`HEAD`, `main~2`, a tag, an id prefix).
  /// - Throws: `LineageError` (usage) when it names no commit.
  public func resolve(_ revision: String) throws -> GitObjectID {
    if let commit = try git.resolveCommit(revision) { return commit }
    if revision == "HEAD" || revision.hasPrefix("HEAD~") || revision.hasPrefix("HEAD^"),
      git.isHeadUnborn
    {
      throw LineageError.repository(
        "revision '\(revision)' does not exist: the repository has no commits yet")
    }
    throw LineageError.repository(
      "revision '\(revision)' names no commit; check it with `git log --oneline`")
  }

  /// Summary of commit `id`.
  public func summary(of id: GitObjectID) throws -> CommitSummary {
    let info = try git.commit(id)
    return CommitSummary(
      id: id, time: Date(timeIntervalSince1970: TimeInterval(info.time)), summary: info.summary,
      authorName: info.authorName, authorEmail: info.authorEmail)
  }

  /// Every file under `manifests/` at `revision`, keyed by repository-relative path
  /// (`manifests/data.json`). Empty when the revision has no `manifests/`.
  public func manifestFiles(at revision: String) throws -> [String: Data] {
    try files(under: ManifestRepository.manifestsDirectory, at: resolve(revision))
  }

  /// Every file under `directory` at `commit`, keyed by repository-relative path.
  public func files(under directory: String, at commit: GitObjectID) throws -> [String: Data] {
    let tree = try git.commit(commit).tree
    guard let top = try git.entry(atPath: directory, inTree: tree), top.kind == .tree else {
      return [:]
    }
    var result: [String: Data] = [:]
    var pending = [(directory, top.id)]
    while let (prefix, id) = pending.popLast() {
      for entry in try git.treeEntries(id) {
        let path = "\(prefix)/\(entry.name)"
        switch entry.kind {
        case .tree: pending.append((path, entry.id))
        case .blob: result[path] = try git.blob(entry.id)
        case .symlink, .submodule: continue
        }
      }
    }
    return result
  }

  /// The bytes of `path` (repository-relative) at `revision`, or `nil` when it does not exist
  /// there.
  public func file(_ path: String, at revision: String) throws -> Data? {
    let tree = try git.commit(resolve(revision)).tree
    guard let entry = try git.entry(atPath: path, inTree: tree), case .blob = entry.kind else {
      return nil
    }
    return try git.blob(entry.id)
  }

  /// `user.name <user.email>` from git's configuration.
  /// - Throws: `LineageError` (usage) when git has no identity configured.
  public func configuredAuthor() throws -> GitAuthor {
    guard let identity = try git.configuredIdentity() else {
      throw LineageError(
        category: .usage,
        message: "git has no user.name/user.email for vouch's commits; set them with "
          + "`git config user.name …` and `git config user.email …`, "
          + "or pass --author 'Name <email>'"
      )
    }
    return GitAuthor(name: identity.name, email: identity.email)
  }

  /// The repository-relative form of `url`, or `nil` when it lies outside the working tree.
  public func relativePath(of url: URL) -> String? {
    let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
    let full = url.standardizedFileURL.path
    if full + "/" == base { return "" }
    guard full.hasPrefix(base) else { return nil }
    return String(full.dropFirst(base.count))
  }
}
