import Foundation
import Testing
import VouchTestSupport

@Suite struct InitTests {
  @Test func createsTheStoreAtTheGitRootAndIgnoresIt() throws {
    let sandbox = try Sandbox(initialise: false)
    try FileManager.default.createDirectory(
      at: sandbox.root.appendingPathComponent("sub/deeper"), withIntermediateDirectories: true)
    let result = try sandbox.vouch(["init"], in: "sub/deeper")
    #expect(result.status == 0)
    #expect(
      result.stdout == "Initialised an empty vouch workspace in \(sandbox.root.path)/.vouch\n")
    for entry in ["config", "objects", "tmp", "index.sqlite"] {
      #expect(
        FileManager.default.fileExists(atPath: sandbox.root.path + "/.vouch/" + entry), "\(entry)")
    }
    #expect(try String(decoding: sandbox.read(".gitignore"), as: UTF8.self) == "/.vouch/\n")
  }

  @Test func secondInitChangesNothing() throws {
    let sandbox = try Sandbox()
    let result = try sandbox.vouch(["init"])
    #expect(result.status == 0)
    #expect(
      result.stdout
        == "vouch workspace already initialised in \(sandbox.root.path)/.vouch; nothing to do\n")
    #expect(try String(decoding: sandbox.read(".gitignore"), as: UTF8.self) == "/.vouch/\n")
  }

  @Test func refusesOutsideGitWithoutNoGit() throws {
    let sandbox = try Sandbox(git: false, initialise: false)
    let result = try sandbox.vouch(["init"])
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "vouch: error: \(sandbox.root.path) is not inside a git repository; run `git init` first, or `vouch init --no-git` to use a plain directory\n"
    )
    #expect(!FileManager.default.fileExists(atPath: sandbox.root.path + "/.vouch"))
    let plain = try sandbox.vouch(["init", "--no-git"])
    #expect(plain.status == 0)
    #expect(FileManager.default.fileExists(atPath: sandbox.root.path + "/.vouch/config"))
  }

  @Test func commandsOutsideAWorkspaceExitTen() throws {
    let sandbox = try Sandbox(git: false, initialise: false)
    for arguments in [["status"], ["ls"], ["add", "x"], ["check"], ["gc", "--dry-run"]] {
      let result = try sandbox.vouch(arguments)
      #expect(result.status == 10, "\(arguments)")
      #expect(
        result.stderr
          == "vouch: error: no vouch workspace in \(sandbox.root.path) or any parent directory; run `vouch init` at the top of your project\n"
      )
    }
  }

  @Test func unknownLayoutVersionIsRefused() throws {
    let sandbox = try Sandbox()
    let config = sandbox.root.appendingPathComponent(".vouch/config")
    let text = try String(contentsOf: config, encoding: .utf8)
    let bumped = text.replacingOccurrences(
      of: #""layoutVersion"\s*:\s*1"#, with: "\"layoutVersion\": 99", options: .regularExpression)
    try #require(bumped != text, "config does not name layoutVersion: \(text)")
    try Data(bumped.utf8).write(to: config)
    for arguments in [["status"], ["init"]] {
      let result = try sandbox.vouch(arguments)
      #expect(result.status != 0)
      #expect(result.stderr.contains("99"), "\(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
    }
  }
}
