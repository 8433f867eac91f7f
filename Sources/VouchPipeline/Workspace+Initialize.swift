import Foundation
import VouchCore
import VouchStore

extension Workspace {
  /// What `vouch init` did.
  public struct Initialization: Sendable {
    /// The workspace root.
    public var root: URL
    /// Whether a new store was created (`false`: it already existed and was left untouched).
    public var created: Bool
    /// The enclosing git repository's root, or `nil` for a plain directory (`--no-git`).
    public var gitRoot: URL?
  }

  /// The root of the git work tree containing `directory` (the nearest ancestor with a `.git`
  /// directory or file), or `nil`.
  public static func gitRoot(containing directory: URL) -> URL? {
    let start = URL(fileURLWithPath: WorkspacePathResolver.realPath(directory.path))
    return findUpward(containing: ".git", from: start, wantDirectory: nil)
  }

  /// Creates a workspace: at the root of the git repository containing `directory`, or at
  /// `directory` itself when `requireGit` is false and there is no repository.
  ///
  /// Idempotent: an existing store is opened (which checks its layout version) and left as it is.
  /// - Throws: `PipelineError.usage` outside a git repository when `requireGit` is true.
  public static func initialize(at directory: URL, requireGit: Bool) throws -> Initialization {
    let start = URL(fileURLWithPath: WorkspacePathResolver.realPath(directory.path))
    let git = gitRoot(containing: start)
    if git == nil, requireGit {
      throw PipelineError.usage(
        "\(start.path) is not inside a git repository; run `git init` first, or `vouch init --no-git` to use a plain directory"
      )
    }
    let root = requireGit ? (git ?? start) : start
    let storeURL = root.appendingPathComponent(storeDirectoryName, isDirectory: true)
    let folders = try AnchoredFolders(anchor: root.path)
    switch try folders.root.entry(storeDirectoryName) {
    case .directory?:
      guard try folders.folder(storeDirectoryName, create: false)?.entry("config") != nil else {
        // Not made by `vouch init`: committed to the repository, perhaps, with symlinks inside.
        throw PipelineError.integrity(
          "\(storeDirectoryName) in \(root.path) exists but holds no vouch store (was it committed "
            + "to git?); a store never comes from a repository, so remove it and run `vouch init` "
            + "again")
      }
      _ = try Store.open(at: storeURL)
      return Initialization(root: root, created: false, gitRoot: git)
    case nil: break
    case .symlink?:
      throw StoreError.symlinkRefused(storeDirectoryName)
    case .file?, .other?:
      throw PipelineError.usage(
        "\(storeDirectoryName) in \(root.path) is not a folder; move it away and run `vouch init` again"
      )
    }
    let store = try Store.create(at: storeURL)
    let workspace = Workspace(root: root, store: store)
    _ = try folders.folder(artifactManifestFolder, create: true)
    try workspace.ignoreInGit(["/\(storeDirectoryName)/"])
    return Initialization(root: root, created: true, gitRoot: git)
  }
}
