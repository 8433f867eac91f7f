import Foundation
import Testing
import VouchTestSupport

@Suite struct GarbageCollectTests {
  @Test func deletesOnlyWhatNoManifestNeeds() throws {
    let sandbox = try Sandbox()
    try sandbox.write("keep.txt", "kept content")
    try sandbox.write("v.txt", "first version")
    #expect(try sandbox.vouch(["add", "keep.txt", "v.txt"]).status == 0)
    try sandbox.shell(
      "git add -A && git -c user.email=t@t -c user.name=t commit -qm one && git tag one")
    try sandbox.write("v.txt", "second version")
    #expect(try sandbox.vouch(["add", "v.txt"]).status == 0)
    try sandbox.shell("git add -A && git -c user.email=t@t -c user.name=t commit -qm two")
    try sandbox.write("v.txt", "third version, not committed")
    #expect(try sandbox.vouch(["add", "v.txt"]).status == 0)
    let first = try sha256("first version")

    // HEAD and the working tree keep versions two and three; version one is garbage...
    let dry = try sandbox.vouch(["gc", "--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(
      dry.stdout.hasPrefix(
        "would delete object sha256:\(first)  13 B\nwould delete 1 file(s), 13 B;"))
    #expect(try sandbox.objectFiles().count == 4)
    // ...unless --keep-rev names the commit that still uses it.
    let kept = try sandbox.vouch(["gc", "--keep-rev", "one", "--json"])
    #expect(kept.status == 0)
    #expect(kept.stdout.contains(#""deleted": []"#), "\(kept.stdout)")
    let collected = try sandbox.vouch(["gc"])
    #expect(collected.status == 0)
    #expect(collected.stdout.hasPrefix("deleted object sha256:\(first)  13 B\n"))
    #expect(try sandbox.objectFiles().count == 3)
    try sandbox.expectClean()
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("keep.txt"))
    #expect(try sandbox.vouch(["checkout"]).status == 0)
  }

  @Test func unknownRevisionIsAUsageError() throws {
    let sandbox = try Sandbox()
    let result = try sandbox.vouch(["gc", "--keep-rev", "no-such-rev"])
    #expect(result.status == 64)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("no-such-rev"))
  }

  @Test func plainDirectoryWorkspaceKeepsTheWorkingTree() throws {
    let sandbox = try Sandbox(git: false)
    try sandbox.write("a.txt", "a")
    #expect(try sandbox.vouch(["add", "a.txt"]).status == 0)
    let result = try sandbox.vouch(["gc"])
    #expect(result.stdout.hasSuffix("for manifests in working tree\n"), "\(result.stdout)")
    #expect(try sandbox.objectFiles().count == 1)
    let rev = try sandbox.vouch(["gc", "--keep-rev", "HEAD"])
    #expect(rev.status == 64)
  }

  func sha256(_ text: String) throws -> String {
    let result = try VouchProcess.run(
      URL(fileURLWithPath: "/bin/sh"), ["-c", "printf '%s' '\(text)' | sha256sum"],
      in: URL(fileURLWithPath: "/"))
    return String(result.stdout.prefix(64))
  }
}
