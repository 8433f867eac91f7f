import CGit2
import Foundation

// The seam over libgit2: every call into CGit2 in vouch is in this file. Each wrapper's doc
// comment names the C function it calls; no libgit2 type leaves the file (ids are `GitObjectID`,
// everything else is plain Swift values).

/// Entry point and error handling for libgit2.
enum Git {
  /// libgit2 needs one global initialisation per process; a lazy static runs it exactly once.
  private static let initialization: Int32 = git_libgit2_init()

  /// Initialises libgit2 once per process. The corresponding C function is git_libgit2_init.
  static func initialize() { _ = initialization }

  /// Throws a `LineageError` naming `function` and libgit2's last error when `status` < 0.
  /// The corresponding C function is git_error_last.
  static func check(_ status: Int32, _ function: String) throws {
    guard status < 0 else { return }
    throw LineageError.git(function, lastErrorMessage())
  }

  /// libgit2's message for the last failure on this thread. The C function is git_error_last.
  static func lastErrorMessage() -> String {
    guard let error = git_error_last(), let text = error.pointee.message else {
      return "unknown libgit2 error"
    }
    return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// `GIT_ENOTFOUND`, the status libgit2 returns for a missing object, path or reference.
  static let notFound: Int32 = GIT_ENOTFOUND.rawValue

  static func hex(_ oid: UnsafePointer<git_oid>) -> GitObjectID {
    var buffer = [CChar](repeating: 0, count: 40)
    // git_oid_fmt writes exactly 40 hex characters (no terminator) and cannot fail here.
    _ = git_oid_fmt(&buffer, oid)
    let bytes = buffer.map { UInt8(bitPattern: $0) }
    return GitObjectID(trustedHex: String(decoding: bytes, as: UTF8.self))
  }

  static func oid(_ id: GitObjectID) throws -> git_oid {
    var out = git_oid()
    try check(git_oid_fromstr(&out, id.hex), "git_oid_fromstr")
    return out
  }
}

/// What a tree entry points at.
enum GitEntryKind: Sendable, Equatable {
  case blob(executable: Bool)
  case tree
  case symlink
  case submodule
}

/// One entry of a git tree.
struct GitTreeEntry: Sendable, Equatable {
  /// The entry's file name (one path component).
  var name: String
  /// The object it names.
  var id: GitObjectID
  /// Blob (with its executable bit), tree, symlink or submodule.
  var kind: GitEntryKind
}

/// The parts of a commit vouch reads.
struct GitCommitInfo: Sendable {
  var id: GitObjectID
  var tree: GitObjectID
  var parents: [GitObjectID]
  /// Commit time, seconds since 1970.
  var time: Int64
  var summary: String
  var authorName: String
  var authorEmail: String
}

/// One path that differs between HEAD, the index and the working tree.
struct GitStatusEntry: Sendable {
  /// Path relative to the working directory.
  var path: String
  /// Whether the path is staged or changed in the working tree (not merely ignored).
  var isChange: Bool
  /// Whether the path is in conflict.
  var isConflicted: Bool
}

/// The repository states that mean an operation is half done (`git_repository_state`).
enum GitRepositoryState: String, Sendable {
  case none, merge, revert, cherryPick = "cherry-pick", bisect, rebase, applyMailbox = "am"
}

/// An open repository (`git_repository *`), freed when released.
final class GitRepository {
  private let handle: OpaquePointer

  private init(handle: OpaquePointer) { self.handle = handle }

  deinit { git_repository_free(handle) }

  /// Opens the repository containing `path`, searching parent directories; `nil` when there is
  /// none. The corresponding C function is git_repository_open_ext.
  static func discover(from path: String) throws -> GitRepository? {
    Git.initialize()
    var out: OpaquePointer?
    let status = git_repository_open_ext(&out, path, 0, nil)
    if status == Git.notFound { return nil }
    try Git.check(status, "git_repository_open_ext")
    guard let out else { throw LineageError.git("git_repository_open_ext", "no repository") }
    return GitRepository(handle: out)
  }

  /// Whether the repository has no working directory. The C function is git_repository_is_bare.
  var isBare: Bool { git_repository_is_bare(handle) == 1 }

  /// The working directory, ending in `/`. The C function is git_repository_workdir.
  var workdir: String? { git_repository_workdir(handle).map { String(cString: $0) } }

  /// The `.git` directory. The corresponding C function is git_repository_path.
  var gitDirectory: String { String(cString: git_repository_path(handle)) }

  /// The operation in progress, if any. The corresponding C function is git_repository_state.
  var state: GitRepositoryState {
    switch UInt32(bitPattern: git_repository_state(handle)) {
    case GIT_REPOSITORY_STATE_NONE.rawValue: .none
    case GIT_REPOSITORY_STATE_MERGE.rawValue: .merge
    case GIT_REPOSITORY_STATE_REVERT.rawValue, GIT_REPOSITORY_STATE_REVERT_SEQUENCE.rawValue:
      .revert
    case GIT_REPOSITORY_STATE_CHERRYPICK.rawValue,
      GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE.rawValue:
      .cherryPick
    case GIT_REPOSITORY_STATE_BISECT.rawValue: .bisect
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX.rawValue: .applyMailbox
    default: .rebase
    }
  }

  /// Whether HEAD names a branch with no commits yet. The C function is
  /// git_repository_head_unborn.
  var isHeadUnborn: Bool { git_repository_head_unborn(handle) == 1 }

  /// Whether HEAD points at a commit rather than a branch. The C function is
  /// git_repository_head_detached.
  var isHeadDetached: Bool { git_repository_head_detached(handle) == 1 }

  /// The branch HEAD points at (`refs/heads/main`), or `nil` when detached. The C functions are
  /// git_reference_lookup, git_reference_type and git_reference_symbolic_target.
  func headBranch() throws -> String? {
    var reference: OpaquePointer?
    try Git.check(git_reference_lookup(&reference, handle, "HEAD"), "git_reference_lookup")
    defer { git_reference_free(reference) }
    guard git_reference_type(reference) == GIT_REFERENCE_SYMBOLIC,
      let target = git_reference_symbolic_target(reference)
    else { return nil }
    return String(cString: target)
  }

  /// The commit HEAD resolves to, or `nil` on an unborn branch. The C function is
  /// git_reference_name_to_id.
  func headCommit() throws -> GitObjectID? {
    var oid = git_oid()
    let status = git_reference_name_to_id(&oid, handle, "HEAD")
    if status == Git.notFound { return nil }
    try Git.check(status, "git_reference_name_to_id")
    return Git.hex(&oid)
  }

  /// The commit `revision` names (`HEAD~2`, a branch, a tag, an id prefix), or `nil` when it names
  /// nothing. The C functions are git_revparse_single and git_object_peel.
  func resolveCommit(_ revision: String) throws -> GitObjectID? {
    var object: OpaquePointer?
    let status = git_revparse_single(&object, handle, revision)
    if status == Git.notFound || status == GIT_EINVALIDSPEC.rawValue
      || status == GIT_EAMBIGUOUS.rawValue
    {
      return nil
    }
    try Git.check(status, "git_revparse_single")
    defer { git_object_free(object) }
    var commit: OpaquePointer?
    try Git.check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "git_object_peel")
    defer { git_object_free(commit) }
    return Git.hex(git_object_id(commit))
  }

  /// Tree, parents, time, summary and author of commit `id`. The C functions are
  /// git_commit_lookup, git_commit_tree_id, git_commit_parent_id, git_commit_time,
  /// git_commit_summary and git_commit_author.
  func commit(_ id: GitObjectID) throws -> GitCommitInfo {
    var oid = try Git.oid(id)
    var commit: OpaquePointer?
    try Git.check(git_commit_lookup(&commit, handle, &oid), "git_commit_lookup")
    defer { git_commit_free(commit) }
    let parents = (0..<git_commit_parentcount(commit)).compactMap { index in
      git_commit_parent_id(commit, index).map { Git.hex($0) }
    }
    let author = git_commit_author(commit)
    return GitCommitInfo(
      id: id, tree: Git.hex(git_commit_tree_id(commit)), parents: parents,
      time: git_commit_time(commit),
      summary: git_commit_summary(commit).map { String(cString: $0) } ?? "",
      authorName: author?.pointee.name.map { String(cString: $0) } ?? "",
      authorEmail: author?.pointee.email.map { String(cString: $0) } ?? "")
  }

  /// The entries of tree `id`, in git's order. The C functions are git_tree_lookup,
  /// git_tree_entrycount and git_tree_entry_byindex.
  func treeEntries(_ id: GitObjectID) throws -> [GitTreeEntry] {
    var oid = try Git.oid(id)
    var tree: OpaquePointer?
    try Git.check(git_tree_lookup(&tree, handle, &oid), "git_tree_lookup")
    defer { git_tree_free(tree) }
    return (0..<git_tree_entrycount(tree)).compactMap { index in
      git_tree_entry_byindex(tree, index).map(GitRepository.entry)
    }
  }

  /// The entry at `path` (`manifests/a.json`) under tree `root`, or `nil` when there is none.
  /// The corresponding C functions are git_tree_lookup and git_tree_entry_bypath.
  func entry(atPath path: String, inTree root: GitObjectID) throws -> GitTreeEntry? {
    var oid = try Git.oid(root)
    var tree: OpaquePointer?
    try Git.check(git_tree_lookup(&tree, handle, &oid), "git_tree_lookup")
    defer { git_tree_free(tree) }
    var found: OpaquePointer?
    let status = git_tree_entry_bypath(&found, tree, path)
    if status == Git.notFound { return nil }
    try Git.check(status, "git_tree_entry_bypath")
    defer { git_tree_entry_free(found) }
    return found.map(GitRepository.entry)
  }

  /// The bytes of blob `id`. The C functions are git_blob_lookup, git_blob_rawcontent and
  /// git_blob_rawsize.
  func blob(_ id: GitObjectID) throws -> Data {
    var oid = try Git.oid(id)
    var blob: OpaquePointer?
    try Git.check(git_blob_lookup(&blob, handle, &oid), "git_blob_lookup")
    defer { git_blob_free(blob) }
    let size = Int(git_blob_rawsize(blob))
    guard size > 0, let bytes = git_blob_rawcontent(blob) else { return Data() }
    return Data(bytes: bytes, count: size)
  }

  /// Writes the working-tree file at `relativePath` as a blob, applying git's filters exactly as
  /// `git add` would. The corresponding C function is git_blob_create_from_workdir.
  func writeBlob(fromWorkdir relativePath: String) throws -> GitObjectID {
    var oid = git_oid()
    try Git.check(
      git_blob_create_from_workdir(&oid, handle, relativePath), "git_blob_create_from_workdir")
    return Git.hex(&oid)
  }

  /// The blob id the file at absolute `path` would get, without writing it. The corresponding C
  /// function is git_odb_hashfile.
  func hashFile(atPath path: String) throws -> GitObjectID {
    var oid = git_oid()
    try Git.check(git_odb_hashfile(&oid, path, GIT_OBJECT_BLOB), "git_odb_hashfile")
    return Git.hex(&oid)
  }

  /// Writes a tree holding `entries` and returns its id. The corresponding C functions are
  /// git_treebuilder_new, git_treebuilder_insert and git_treebuilder_write.
  func writeTree(_ entries: [GitTreeEntry]) throws -> GitObjectID {
    var builder: OpaquePointer?
    try Git.check(git_treebuilder_new(&builder, handle, nil), "git_treebuilder_new")
    defer { git_treebuilder_free(builder) }
    for entry in entries {
      var oid = try Git.oid(entry.id)
      let mode: git_filemode_t =
        switch entry.kind {
        case .blob(let executable): executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB
        case .tree: GIT_FILEMODE_TREE
        case .symlink: GIT_FILEMODE_LINK
        case .submodule: GIT_FILEMODE_COMMIT
        }
      try Git.check(
        git_treebuilder_insert(nil, builder, entry.name, &oid, mode), "git_treebuilder_insert")
    }
    var out = git_oid()
    try Git.check(git_treebuilder_write(&out, builder), "git_treebuilder_write")
    return Git.hex(&out)
  }

  /// Whether git's ignore rules (`.gitignore`, `info/exclude`, core.excludesFile) ignore
  /// `relativePath`. The corresponding C function is git_ignore_path_is_ignored.
  func isIgnored(_ relativePath: String) throws -> Bool {
    var ignored: Int32 = 0
    try Git.check(
      git_ignore_path_is_ignored(&ignored, handle, relativePath), "git_ignore_path_is_ignored")
    return ignored == 1
  }

  /// Staged and unstaged changes, untracked files included, ignored files excluded. The C
  /// functions are git_status_options_init, git_status_list_new and git_status_byindex.
  func status() throws -> [GitStatusEntry] {
    var options = git_status_options()
    try Git.check(
      git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)),
      "git_status_options_init")
    options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
    options.flags =
      GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
    var list: OpaquePointer?
    try Git.check(git_status_list_new(&list, handle, &options), "git_status_list_new")
    defer { git_status_list_free(list) }
    return (0..<git_status_list_entrycount(list)).compactMap { index in
      guard let entry = git_status_byindex(list, index)?.pointee else { return nil }
      let delta = entry.index_to_workdir ?? entry.head_to_index
      guard let pathPointer = delta?.pointee.new_file.path ?? delta?.pointee.old_file.path
      else { return nil }
      let flags = entry.status.rawValue
      return GitStatusEntry(
        path: String(cString: pathPointer),
        isChange: flags & ~GIT_STATUS_IGNORED.rawValue != 0,
        isConflicted: flags & GIT_STATUS_CONFLICTED.rawValue != 0)
    }
  }

  /// `user.name` and `user.email` from git's configuration, or `nil` when either is unset. The
  /// corresponding C function is git_signature_default.
  func configuredIdentity() throws -> (name: String, email: String)? {
    var signature: UnsafeMutablePointer<git_signature>?
    let status = git_signature_default(&signature, handle)
    if status == Git.notFound { return nil }
    try Git.check(status, "git_signature_default")
    defer { git_signature_free(signature) }
    guard let value = signature?.pointee, let name = value.name, let email = value.email else {
      return nil
    }
    return (String(cString: name), String(cString: email))
  }

  /// Creates a commit of `tree` with `parents`, authored and committed now by `name <email>`, and
  /// moves HEAD (or the branch it names, creating it on an unborn branch) to it; libgit2 refuses
  /// if HEAD moved since `parents[0]` was read. The C functions are git_signature_now,
  /// git_tree_lookup, git_commit_lookup and git_commit_create.
  func createCommit(
    tree: GitObjectID, parents: [GitObjectID], message: String, name: String, email: String
  ) throws -> GitObjectID {
    var signature: UnsafeMutablePointer<git_signature>?
    try Git.check(git_signature_now(&signature, name, email), "git_signature_now")
    defer { git_signature_free(signature) }
    var treeOID = try Git.oid(tree)
    var treeObject: OpaquePointer?
    try Git.check(git_tree_lookup(&treeObject, handle, &treeOID), "git_tree_lookup")
    defer { git_tree_free(treeObject) }
    var parentObjects: [OpaquePointer?] = []
    defer { for parent in parentObjects { git_commit_free(parent) } }
    for parent in parents {
      var oid = try Git.oid(parent)
      var object: OpaquePointer?
      try Git.check(git_commit_lookup(&object, handle, &oid), "git_commit_lookup")
      parentObjects.append(object)
    }
    var out = git_oid()
    let status = parentObjects.withUnsafeMutableBufferPointer { buffer in
      git_commit_create(
        &out, handle, "HEAD", signature, signature, nil, message, treeObject, buffer.count,
        buffer.baseAddress)
    }
    try Git.check(status, "git_commit_create")
    return Git.hex(&out)
  }

  /// Replaces the index entries under directory `prefix` by the working-tree files `paths`,
  /// leaving every other entry (the user's staged work) as it was. The corresponding C functions
  /// are git_repository_index, git_index_read, git_index_remove_directory, git_index_add_bypath
  /// and git_index_write.
  func replaceIndexEntries(under prefix: String, with paths: [String]) throws {
    var index: OpaquePointer?
    try Git.check(git_repository_index(&index, handle), "git_repository_index")
    defer { git_index_free(index) }
    try Git.check(git_index_read(index, 1), "git_index_read")
    try Git.check(git_index_remove_directory(index, prefix, 0), "git_index_remove_directory")
    for path in paths {
      try Git.check(git_index_add_bypath(index, path), "git_index_add_bypath")
    }
    try Git.check(git_index_write(index), "git_index_write")
  }

  /// Commits reachable from `start`, newest first (topological, then by time), at most `limit`.
  /// The corresponding C functions are git_revwalk_new, git_revwalk_sorting, git_revwalk_push and
  /// git_revwalk_next.
  func walk(from start: GitObjectID, limit: Int = .max) throws -> [GitObjectID] {
    var walker: OpaquePointer?
    try Git.check(git_revwalk_new(&walker, handle), "git_revwalk_new")
    defer { git_revwalk_free(walker) }
    try Git.check(
      git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue),
      "git_revwalk_sorting")
    var oid = try Git.oid(start)
    try Git.check(git_revwalk_push(walker, &oid), "git_revwalk_push")
    var result: [GitObjectID] = []
    var next = git_oid()
    while result.count < limit {
      let status = git_revwalk_next(&next, walker)
      if status == GIT_ITEROVER.rawValue { break }
      try Git.check(status, "git_revwalk_next")
      result.append(Git.hex(&next))
    }
    return result
  }

  /// Converts a borrowed `git_tree_entry` into a value. The C functions are git_tree_entry_name,
  /// git_tree_entry_id and git_tree_entry_filemode.
  private static func entry(_ pointer: OpaquePointer) -> GitTreeEntry {
    let kind: GitEntryKind =
      switch git_tree_entry_filemode(pointer) {
      case GIT_FILEMODE_TREE: .tree
      case GIT_FILEMODE_BLOB_EXECUTABLE: .blob(executable: true)
      case GIT_FILEMODE_LINK: .symlink
      case GIT_FILEMODE_COMMIT: .submodule
      default: .blob(executable: false)
      }
    return GitTreeEntry(
      name: String(cString: git_tree_entry_name(pointer)), id: Git.hex(git_tree_entry_id(pointer)),
      kind: kind)
  }
}
