import Foundation
import Testing
import VouchTestSupport

/// What `vouch check` says about what it found (findings rows 1.2, 1.9, 1.11 and 7.6).
@Suite struct CheckReportTests {
  /// The last line of `text`.
  func summary(_ text: String) -> String {
    String(text.split(separator: "\n").last ?? "")
  }

  @Test func problemsAreCountedAndNoMessageSendsBackToCheck() throws {
    let sandbox = try Sandbox()
    try sandbox.write("a.txt", "alpha content")
    #expect(try sandbox.vouch(["add", "a.txt"]).status == 0)
    let object = try #require(try sandbox.objectFiles().first)
    try sandbox.flipByte(in: ".vouch/objects/" + object, at: 0)
    let manifest = try sandbox.read("manifests/artifacts/a.txt.json")
    let check = try sandbox.vouch(["check"])
    #expect(check.status == 12)
    #expect(!check.stdout.contains("vouch check"), "\(check.stdout)")
    #expect(
      check.stdout.contains("or fetch it from a remote to restore it — breaks a.txt\n"),
      "\(check.stdout)")
    #expect(summary(check.stdout).hasSuffix("; 1 problem(s), 1 artifact(s) broken: a.txt"))
    // The damaged object was moved to quarantine; a re-add stores it again.
    #expect(try sandbox.vouch(["add", "a.txt"]).status == 0)
    #expect(try sandbox.vouch(["check"]).status == 0)
    // When no manifest names a damaged object, nothing is broken, and the line ends cleanly.
    try sandbox.flipByte(in: ".vouch/objects/" + object, at: 0)
    try FileManager.default.removeItem(
      at: sandbox.root.appendingPathComponent("manifests/artifacts/a.txt.json"))
    let orphan = try sandbox.vouch(["check"])
    #expect(orphan.status == 12)
    #expect(summary(orphan.stdout).hasSuffix("; 1 problem(s), no artifact broken"))
    try sandbox.write("manifests/artifacts/a.txt.json", [UInt8](manifest))
  }

  @Test func anUnreadableIndexCountsAsAProblem() throws {
    let sandbox = try Sandbox()
    try sandbox.write("a.txt", "alpha")
    #expect(try sandbox.vouch(["add", "a.txt"]).status == 0)
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(
        at: sandbox.root.appendingPathComponent(".vouch/index.sqlite" + suffix))
    }
    try sandbox.write(".vouch/index.sqlite", String(repeating: "not a database ", count: 100))
    let check = try sandbox.vouch(["check"])
    #expect(check.status == 12)
    #expect(check.stdout.contains("index: "), "\(check.stdout)")
    #expect(
      summary(check.stdout).hasSuffix("; 1 problem(s), no artifact broken"), "\(check.stdout)")
    #expect(try sandbox.vouch(["check", "--repair-index"]).status == 0)
  }

  @Test func sharedChunksCountOnce() throws {
    let sandbox = try Sandbox()
    let bytes = Sandbox.random(4 << 20, seed: 21)
    try sandbox.write("one.bin", bytes)
    try sandbox.write("two.bin", bytes + Sandbox.random(1000, seed: 22))
    #expect(try sandbox.vouch(["add", "one.bin", "two.bin"]).status == 0)
    let objects = try sandbox.objectFiles().count
    let check = try sandbox.vouch(["check"])
    #expect(check.status == 0, "\(check.stdout)")
    #expect(
      check.stdout.hasPrefix("\(objects) object(s) and 2 recipe(s) checked, "), "\(check.stdout)")
  }
}
