import Foundation
import Testing
import VouchTestSupport

/// A git repository with a vouch workspace holding a copy of `examples/metric-pipeline`.
extension Sandbox {
  /// The repository's root folder (`Tests/VouchEndToEndTests/…` → three levels up).
  static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// A sandbox with a git identity and, unless `example` is false, the metric-pipeline example.
  static func pipeline(example: Bool = true) throws -> Sandbox {
    let sandbox = try Sandbox()
    try sandbox.git(["config", "user.name", "Pipeline Tester"])
    try sandbox.git(["config", "user.email", "pipeline@example.org"])
    if example {
      let source = packageRoot.appendingPathComponent("examples/metric-pipeline")
      let copy = try sandbox.shell("cp -R '\(source.path)/.' .")
      try #require(copy.status == 0, "\(copy.stderr)")
    }
    return sandbox
  }

  /// Runs `git arguments…` in the root and returns trimmed standard output.
  @discardableResult
  func git(_ arguments: [String]) throws -> String {
    let result = try VouchProcess.run(
      URL(fileURLWithPath: "/usr/bin/git"), arguments, in: root,
      environment: ["GIT_CONFIG_NOSYSTEM": "1"])
    try #require(result.status == 0, "git \(arguments): \(result.stderr)")
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The text of `relative`, or `nil` when it does not exist.
  func text(_ relative: String) -> String? {
    (try? read(relative)).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Replaces `old` by `new` in the file `relative`.
  func edit(_ relative: String, replacing old: String, with new: String) throws {
    let before = try #require(text(relative))
    try #require(before.contains(old), "\(relative) lacks '\(old)'")
    try write(relative, before.replacingOccurrences(of: old, with: new))
  }
}
