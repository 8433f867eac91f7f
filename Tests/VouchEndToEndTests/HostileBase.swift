import Foundation
import Testing
import VouchTestSupport

/// The attacker's starting point for the hostile-repository cases: a committed repository with a
/// file artifact three folders deep (`a/b/c/f.txt`), a folder artifact with files at several
/// depths (`d/e`), a one-stage pipeline (`h`) with its lock, run record and claim, and every
/// object pushed to a shared filesystem remote that `manifests/remotes.toml` names.
final class HostileBase: @unchecked Sendable {
  let directory: TemporaryDirectory
  /// The committed repository each case clones.
  let repository: URL
  /// `manifests/runs/<key>.json` of the pipeline's one run.
  let runRecord: String
  /// Folders on the way to artifact files: where a symlink can be put.
  static let folders = ["a", "a/b", "a/b/c", "d", "d/e", "d/e/s1", "d/e/s1/s2", "out"]

  init() throws {
    directory = try TemporaryDirectory(prefix: "hostile")
    repository = directory.url.resolvingSymlinksInPath().appendingPathComponent("base")
    try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
    let files = [
      "in.txt": "input", "a/b/c/f.txt": "file", "d/e/x.txt": "x", "d/e/s1/s2/y.txt": "y",
      "manifests/h.pipeline.toml": """
      schemaVersion = 1
      [stages.s]
      command = "mkdir -p out && echo '{\\"v\\": 1}' > out/r.json"
      inputs = ["in.txt"]
      outputs = ["out/r.json"]
      [[stages.s.claims]]
      name = "v"
      path = "$.v"
      """,
    ]
    for (path, text) in files {
      let url = repository.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
    try Self.git(["init", "-q", "."], in: repository)
    try Self.git(["config", "user.name", "Attacker"], in: repository)
    try Self.git(["config", "user.email", "attacker@example.org"], in: repository)
    let remote = directory.url.resolvingSymlinksInPath().appendingPathComponent("remote").path
    for command in [
      ["init"], ["add", "a/b/c/f.txt", "d/e"], ["run", "--no-commit"],
      ["remote", "add", "shared", remote, "--default"], ["push"],
    ] {
      let result = try VouchProcess.vouch(command, in: repository)
      try #require(result.status == 0, "\(command): \(result.stderr)")
    }
    try Self.git(["add", "-A"], in: repository)
    try Self.git(["commit", "-qm", "base"], in: repository)
    let runs = try FileManager.default.contentsOfDirectory(
      atPath: repository.appendingPathComponent("manifests/runs").path)
    runRecord = "manifests/runs/" + (try #require(runs.first))
  }

  /// Runs git in `directory`, requiring success.
  @discardableResult
  static func git(_ arguments: [String], in directory: URL) throws -> String {
    let result = try VouchProcess.run(
      URL(fileURLWithPath: "/usr/bin/git"), arguments, in: directory,
      environment: ["GIT_CONFIG_NOSYSTEM": "1"])
    try #require(result.status == 0, "git \(arguments): \(result.stderr)")
    return result.stdout
  }
}
