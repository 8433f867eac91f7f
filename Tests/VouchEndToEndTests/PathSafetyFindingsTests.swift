import Foundation
import Testing
import VouchTestSupport

/// The findings file's path-safety rows (`../shared/findings/dd41d0a-hostile-user.md`): checkout
/// and pull never write outside the workspace, whatever a manifest says or a symlink points at.
@Suite struct PathSafetyFindingsTests {
  /// 1.26: a folder artifact's subfolder replaced by a symlink to outside.
  @Test func row1_26CheckoutDoesNotWriteThroughASymlinkedSubfolder() throws {
    let sandbox = try Sandbox()
    let outside = try OutsideTree()
    try sandbox.write("fold/sub/f.txt", "inside")
    #expect(try sandbox.vouch(["add", "fold"]).status == 0)
    let before = try outside.snapshot()
    try sandbox.shell("rm -rf fold/sub && ln -s '\(outside.root.path)/sub' fold/sub")
    let checkout = try sandbox.vouch(["checkout", "fold"])
    #expect(checkout.status == 12, "\(checkout.stderr)")
    #expect(checkout.stderr.split(separator: "\n").count == 1)
    #expect(checkout.stderr.contains("'fold/sub' is a symlink"), "\(checkout.stderr)")
    #expect(try outside.snapshot() == before)
    let forced = try sandbox.vouch(["checkout", "--force", "fold"])
    #expect(forced.status == 12)
    #expect(try outside.snapshot() == before)
  }

  /// 1.27: the parent folder of a file artifact replaced by a symlink to outside.
  @Test func row1_27CheckoutDoesNotWriteThroughASymlinkedParent() throws {
    let sandbox = try Sandbox()
    let outside = try OutsideTree()
    try sandbox.write("out/pwn.txt", "payload")
    #expect(try sandbox.vouch(["add", "out/pwn.txt"]).status == 0)
    let before = try outside.snapshot()
    try sandbox.shell("rm -rf out && ln -s '\(outside.root.path)' out")
    let checkout = try sandbox.vouch(["checkout"])
    #expect(checkout.status == 12, "\(checkout.stderr)")
    #expect(checkout.stderr.contains("'out' is a symlink"), "\(checkout.stderr)")
    #expect(try outside.snapshot() == before)
  }

  /// 1.28: `..` in a folder manifest's file path.
  @Test func row1_28DotDotInAFolderManifestIsAnIntegrityFailure() throws {
    let sandbox = try Sandbox()
    let outside = try OutsideTree()
    try sandbox.write("fold/a.txt", "alpha")
    #expect(try sandbox.vouch(["add", "fold"]).status == 0)
    let escape = "../../" + outside.root.lastPathComponent + "/pwn.txt"
    try sandbox.editJSON("manifests/artifacts/fold.json") { manifest in
      var files = try #require(manifest["files"] as? [[String: Any]])
      files[0]["path"] = escape
      manifest["files"] = files
    }
    try sandbox.shell("rm -rf fold")
    let before = try outside.snapshot()
    for command in [["verify"], ["check"], ["checkout", "fold"], ["checkout"], ["status"]] {
      let result = try sandbox.vouch(command)
      #expect(result.status == 12, "\(command): \(result.stdout)\(result.stderr)")
      #expect(
        (result.stdout + result.stderr).contains("uses '..'"),
        "\(command): \(result.stdout)\(result.stderr)")
    }
    #expect(try outside.snapshot() == before)
  }

  /// 1.30: one file's digest swapped for another stored file's, the folder digest left alone.
  @Test func row1_30AFolderManifestMustEqualItsStoredListing() throws {
    let sandbox = try Sandbox()
    // Two files of one size, so the manifest's total stays right after the swap.
    try sandbox.write("data/a.txt", "first")
    try sandbox.write("data/b.txt", "other")
    #expect(try sandbox.vouch(["add", "data"]).status == 0)
    try sandbox.editJSON("manifests/artifacts/data.json") { manifest in
      var files = try #require(manifest["files"] as? [[String: Any]])
      files[0]["digest"] = files[1]["digest"]
      files[0]["size"] = files[1]["size"]
      manifest["files"] = files
    }
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 12)
    #expect(verify.stdout.contains("differs from the folder's stored listing"), "\(verify.stdout)")
    #expect(try sandbox.vouch(["check"]).status == 12)
    try sandbox.shell("rm data/a.txt")
    let checkout = try sandbox.vouch(["checkout"])
    #expect(checkout.status == 12, "\(checkout.stderr)")
    #expect(!FileManager.default.fileExists(atPath: sandbox.root.path + "/data/a.txt"))
  }

  /// 4.9: a repository whose folder manifest points outside, its objects on a shared remote;
  /// the victim clones it and pulls.
  @Test func row4_9PullOfAForgedManifestWritesNothingOutside() throws {
    let (pull, unchanged) = try attackThenPull(adding: "payload", file: "authorized_keys") {
      attacker, outside in
      try attacker.editJSON("manifests/artifacts/payload.json") { manifest in
        var files = try #require(manifest["files"] as? [[String: Any]])
        files[0]["path"] = "../../\(outside.root.lastPathComponent)/sub/authorized_keys"
        manifest["files"] = files
      }
    }
    #expect(pull.status == 12, "\(pull.stdout)\(pull.stderr)")
    #expect(pull.stderr.split(separator: "\n").count == 1, "\(pull.stderr)")
    #expect(unchanged)
  }

  /// 4.10: a repository that commits a symlink to outside where a folder artifact's subfolder
  /// goes; the manifests are fully consistent.
  @Test func row4_10PullDoesNotFollowACommittedSymlink() throws {
    let (pull, unchanged) = try attackThenPull(adding: "p2", file: "sub/x.sh") {
      attacker, outside in
      try attacker.shell("rm -rf p2/sub && ln -s '\(outside.root.path)/sub' p2/sub")
      try attacker.git(["add", "-f", "p2/sub"])
    }
    #expect(pull.status == 12, "\(pull.stdout)\(pull.stderr)")
    #expect(pull.stderr.contains("'p2/sub' is a symlink"), "\(pull.stderr)")
    #expect(unchanged)
  }

  /// The attacker adds folder `folder` holding `file`, pushes it to a shared remote, runs
  /// `attack` and commits; the victim clones, inits and pulls.
  /// - Returns: the pull, and whether the sentinel tree beside the victim stayed as it was.
  private func attackThenPull(
    adding folder: String, file: String, attack: (Sandbox, OutsideTree) throws -> Void
  ) throws -> (ProcessResult, Bool) {
    let attacker = try Sandbox.pipeline(example: false)
    let outside = try OutsideTree()
    let remote = try TemporaryDirectory(prefix: "remote")
    try attacker.write("\(folder)/\(file)", "ssh-ed25519 AAAA attacker")
    #expect(try attacker.vouch(["add", folder]).status == 0)
    #expect(
      try attacker.vouch(["remote", "add", "shared", remote.url.path, "--default"]).status == 0)
    #expect(try attacker.vouch(["push"]).status == 0)
    try attack(attacker, outside)
    try attacker.git(["add", "-A"])
    try attacker.git(["commit", "-qm", "attack"])
    let victim = try TemporaryDirectory(prefix: "victim")
    let clone = try VouchProcess.run(
      URL(fileURLWithPath: "/usr/bin/git"), ["clone", "-q", attacker.root.path, "ws"],
      in: victim.url)
    try #require(clone.status == 0, "\(clone.stderr)")
    let workspace = victim.url.appendingPathComponent("ws")
    let before = try outside.snapshot()
    #expect(try VouchProcess.vouch(["init"], in: workspace).status == 0)
    let pull = try VouchProcess.vouch(["pull"], in: workspace)
    return (pull, try outside.snapshot() == before)
  }
}
