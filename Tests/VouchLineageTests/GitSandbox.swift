import Foundation
import VouchTestSupport

/// A real git repository in a temporary folder, driven by the `git` command-line tool so that
/// setup and assertions do not go through the libgit2 code under test.
final class GitSandbox {
  let directory: TemporaryDirectory
  var url: URL { directory.url }

  /// `git init -b main` (or `--bare`) with a local identity.
  init(bare: Bool = false, initialize: Bool = true) throws {
    directory = try TemporaryDirectory(prefix: "git")
    guard initialize else { return }
    try git(bare ? ["init", "--bare", "-q", "-b", "main"] : ["init", "-q", "-b", "main"])
    if !bare {
      try git(["config", "user.name", "Sandbox Tester"])
      try git(["config", "user.email", "tester@example.org"])
    }
  }

  /// Runs `git arguments…` in the sandbox and returns its trimmed standard output.
  /// - Throws: when git exits non-zero (unless `allowFailure`).
  @discardableResult
  func git(_ arguments: [String], allowFailure: Bool = false) throws -> String {
    let result = try VouchProcess.run(
      URL(fileURLWithPath: "/usr/bin/git"), arguments, in: url,
      environment: ["GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"])
    if result.status != 0, !allowFailure {
      throw SandboxError(message: "git \(arguments.joined(separator: " ")): \(result.stderr)")
    }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Lines of `git arguments…`.
  func lines(_ arguments: [String]) throws -> [String] {
    try git(arguments).split(separator: "\n").map(String.init)
  }

  /// Writes `text` at `path`, creating folders.
  func write(_ path: String, _ text: String) throws {
    try directory.write(path, text)
  }

  /// Reads the working-tree file at `path`.
  func read(_ path: String) throws -> String {
    try String(contentsOf: url.appendingPathComponent(path), encoding: .utf8)
  }

  /// Writes, stages and commits `files`; returns the new commit id.
  @discardableResult
  func commit(_ files: [String: String], message: String = "test commit") throws -> String {
    for (path, text) in files { try write(path, text) }
    try git(["add", "--"] + files.keys.sorted())
    try git(["commit", "-q", "-m", message])
    return try git(["rev-parse", "HEAD"])
  }
}

struct SandboxError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
