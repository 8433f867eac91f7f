import Foundation
import Testing
import VouchTestSupport

/// The findings file's rows on damaged objects and on checkout (`../shared/findings/`): a damaged
/// object found by any verified read is moved to `.vouch/quarantine/`, and adding, fetching,
/// pulling or running with intact bytes stores it again.
@Suite struct HealingFindingsTests {
  /// 1.6: re-adding an intact small file, as the error message advises, heals its object.
  @Test func row1_6ReAddingTheIntactFileHealsItsObject() throws {
    let sandbox = try Sandbox()
    try sandbox.write("data/small.csv", "a,b\n1,2\n")
    #expect(try sandbox.vouch(["add", "data/small.csv"]).status == 0)
    let object = try sandbox.objectPath(of: "data/small.csv")
    try sandbox.flipByte(in: object, at: 3)
    let check = try sandbox.vouch(["check"])
    #expect(check.status == 12)
    #expect(check.stdout.contains("re-add the file"), "\(check.stdout)")
    #expect(try sandbox.vouch(["add", "data/small.csv"]).status == 0)
    #expect(try sandbox.vouch(["check"]).status == 0)
    // Found by nobody yet: a touched file's re-add compares it with its stored copy.
    try sandbox.flipByte(in: object, at: 3)
    try sandbox.shell("touch data/small.csv")
    let readd = try sandbox.vouch(["add", "data/small.csv"])
    #expect(readd.stdout.contains("8 B new"), "\(readd.stdout)")
    try sandbox.expectClean()
  }

  /// 1.7: the same for a damaged chunk of a large file.
  @Test func row1_7ReAddingHealsADamagedChunk() throws {
    let sandbox = try Sandbox()
    let bytes = Sandbox.random(3 << 20, seed: 71)
    try sandbox.write("big.bin", bytes)
    #expect(try sandbox.vouch(["add", "big.bin"]).status == 0)
    let chunks = try sandbox.objectFiles()
    try sandbox.flipByte(in: ".vouch/objects/" + chunks[chunks.count / 2], at: 5)
    #expect(try sandbox.vouch(["check"]).status == 12)
    try sandbox.shell("touch big.bin")
    let readd = try sandbox.vouch(["add", "big.bin"])
    #expect(readd.status == 0, "\(readd.stderr)")
    #expect(!readd.stdout.contains(" 0 B new"), "\(readd.stdout)")
    try sandbox.shell("rm big.bin")
    #expect(try sandbox.vouch(["checkout"]).status == 0)
    #expect(try sandbox.read("big.bin") == Data(bytes))
    try sandbox.expectClean()
  }

  /// 2.7: a damaged output object heals when `vouch run` finds the stage up to date, or reruns.
  @Test func row2_7RunHealsADamagedOutputObject() throws {
    let sandbox = try Sandbox.ranMetric()
    let object = try sandbox.objectPath(of: "results/metric.json")
    try sandbox.flipByte(in: object, at: 2)
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 12, "\(verify.stdout)")
    #expect(try sandbox.vouch(["run"]).status == 0)
    #expect(try sandbox.vouch(["check"]).status == 0)
    try sandbox.flipByte(in: object, at: 2)
    #expect(try sandbox.vouch(["run", "--force"]).status == 0)
    try sandbox.expectClean()
  }

  /// 4.5: a damaged local object heals from an intact remote by fetch, and by pull.
  @Test func row4_5FetchAndPullHealFromTheRemote() throws {
    let sandbox = try Sandbox()
    let remote = try TemporaryDirectory(prefix: "remote")
    try sandbox.write("data/a.txt", "alpha alpha")
    #expect(try sandbox.vouch(["add", "data/a.txt"]).status == 0)
    #expect(try sandbox.vouch(["remote", "add", "lab", remote.url.path, "--default"]).status == 0)
    #expect(try sandbox.vouch(["push"]).status == 0)
    let object = try sandbox.objectPath(of: "data/a.txt")
    try sandbox.flipByte(in: object, at: 1)
    #expect(try sandbox.vouch(["check"]).status == 12)
    let fetch = try sandbox.vouch(["fetch"])
    #expect(fetch.stdout.contains("received 1 object(s)"), "\(fetch.stdout)")
    #expect(try sandbox.vouch(["check"]).status == 0)
    // Not found by anyone first: pull's checkout finds it, fetches it again, and restores.
    try sandbox.flipByte(in: object, at: 1)
    try sandbox.shell("rm data/a.txt")
    let pull = try sandbox.vouch(["pull"])
    #expect(pull.status == 0, "\(pull.stderr)")
    #expect(pull.stderr.contains("fetching it again"), "\(pull.stderr)")
    #expect(try sandbox.read("data/a.txt") == Data("alpha alpha".utf8))
    try sandbox.expectClean()
  }

  /// 1.22: an empty folder artifact is restored.
  @Test func row1_22AnEmptyFolderArtifactIsRestored() throws {
    let sandbox = try Sandbox()
    try sandbox.shell("mkdir emptydir")
    #expect(try sandbox.vouch(["add", "emptydir"]).status == 0)
    try sandbox.shell("rmdir emptydir")
    #expect(try sandbox.vouch(["status"]).stdout.contains("deleted:  emptydir"))
    #expect(try sandbox.vouch(["checkout", "emptydir"]).status == 0)
    let status = try sandbox.vouch(["status"])
    #expect(status.stdout.contains("all up to date"), "\(status.stdout)")
  }

  /// 1.24: an artifact recorded through a symlink to a file inside the workspace does not block
  /// `vouch checkout`.
  @Test func row1_24ASymlinkArtifactDoesNotBlockCheckout() throws {
    let sandbox = try Sandbox()
    try sandbox.write("real.txt", "data")
    try sandbox.shell("ln -s real.txt link.txt")
    try sandbox.write("o.txt", "other")
    #expect(try sandbox.vouch(["add", "link.txt", "o.txt"]).status == 0)
    try sandbox.shell("rm o.txt")
    let checkout = try sandbox.vouch(["checkout"])
    #expect(checkout.status == 0, "\(checkout.stderr)")
    #expect(try sandbox.read("o.txt") == Data("other".utf8))
    let link = try FileManager.default.destinationOfSymbolicLink(
      atPath: sandbox.root.path + "/link.txt")
    #expect(link == "real.txt")
  }
}
