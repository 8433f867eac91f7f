import Foundation

extension Workspace {
  /// `.vouch/edit.lock`: held while `.gitignore` or a manifest is edited.
  public var lockURL: URL { storeDirectory.appendingPathComponent("edit.lock") }

  /// `.vouch/run.lock`: held by `vouch run` from planning to its commit, so two runs of one
  /// workspace never execute stage commands at once nor record each other's outputs.
  public var runLockURL: URL { storeDirectory.appendingPathComponent("run.lock") }

  /// `.vouch/gc.lock`: shared by adds, exclusive for gc (see ``WorkspaceLock``).
  public var collectionLockURL: URL { storeDirectory.appendingPathComponent("gc.lock") }

  /// Appends each pattern (such as `/data/train.csv`) to the root `.gitignore` unless a line equal
  /// to it is already there, so artifact bytes never enter git. Safe to call concurrently from
  /// several processes: the edit runs under the workspace lock and lands by atomic rename.
  public func ignoreInGit(_ patterns: [String]) throws {
    try WorkspaceLock.withLock(at: lockURL) { try ignoreInGitLocked(patterns) }
  }

  /// ``ignoreInGit(_:)`` for callers already holding the workspace lock.
  func ignoreInGitLocked(_ patterns: [String]) throws {
    let url = root.appendingPathComponent(".gitignore")
    // Never through a symlink: a committed `.gitignore` link must not make vouch copy another
    // file's content into the repository, nor write to it.
    let existing = String(decoding: try read(".gitignore") ?? Data(), as: UTF8.self)
    let lines = Set(
      existing.split(separator: "\n", omittingEmptySubsequences: true).map(String.init))
    let missing = patterns.filter { !lines.contains($0) }
    guard !missing.isEmpty else { return }
    var text = existing
    if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
    text += missing.map { $0 + "\n" }.joined()
    try writeAtomically(Data(text.utf8), to: url)
  }

  /// Removes the lines equal to one of `patterns` from the root `.gitignore`, for callers
  /// holding the workspace lock (`vouch rm`); other lines, and their order, stay as they are.
  func unignoreInGitLocked(_ patterns: [String]) throws {
    let url = root.appendingPathComponent(".gitignore")
    guard let data = try read(".gitignore") else { return }
    let existing = String(decoding: data, as: UTF8.self)
    let removed = Set(patterns)
    let lines = existing.components(separatedBy: "\n")
    let kept = lines.filter { !removed.contains($0) }
    guard kept.count != lines.count else { return }
    try writeAtomically(Data(kept.joined(separator: "\n").utf8), to: url)
  }

  /// The `.gitignore` pattern for an artifact path: anchored at the root; special characters
  /// (`*`, `?`, `[`, `\`) and trailing spaces (which git would strip) escaped with a backslash;
  /// the leading `/` makes `!` and `#` literal.
  ///
  /// A control character (a newline above all) cannot be written in a `.gitignore` line: `vouch add`
  /// refuses such names first (``WorkspacePathResolver/checkIgnorableName(_:shownAs:)``).
  public static func gitignorePattern(for path: String) -> String {
    let trailingSpaces = path.reversed().prefix { $0 == " " }.count
    var escaped = ""
    for (offset, character) in path.enumerated() {
      if "*?[\\".contains(character) || offset >= path.count - trailingSpaces {
        escaped.append("\\")
      }
      escaped.append(character)
    }
    return "/" + escaped
  }
}
