import Foundation
import Testing
import VouchTestSupport

/// The findings file's usability rows on manifests, names and exit statuses
/// (`../shared/findings/dd41d0a-hostile-user.md`).
@Suite struct UsabilityFindingsTests {
  /// 1.19: a symlink into `.git/` (credentials) or `.vouch/` is never added.
  @Test func row1_19SymlinksIntoGitOrTheStoreAreRefused() throws {
    let sandbox = try Sandbox()
    try sandbox.shell("ln -s .git/config sub3 && mkdir d && ln -s ../.git/config d/leak")
    for target in ["sub3", "d"] {
      let add = try sandbox.vouch(["add", target])
      #expect(add.status == 64, "\(target): \(add.stderr)")
      #expect(add.stderr.contains("is a symlink into .git/"), "\(add.stderr)")
    }
    #expect(try sandbox.objectFiles().isEmpty)
  }

  /// 1.32 and 1.33: a manifest that is not JSON, or holds a negative size, is an integrity
  /// failure that says where and how to fix it; `vouch diff` names it instead of ignoring it.
  @Test func row1_32And1_33ABrokenManifestSaysWhatIsWrong() throws {
    let sandbox = try Sandbox.pipeline(example: false)
    try sandbox.write("a.txt", "alpha")
    #expect(try sandbox.vouch(["add", "a.txt"]).status == 0)
    try sandbox.git(["add", "-A"])
    try sandbox.git(["commit", "-qm", "a"])
    try sandbox.write("manifests/artifacts/bad.json", "not json {")
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 12)
    #expect(verify.stdout.contains("bad.json is not a valid artifact manifest"), "\(verify.stdout)")
    #expect(verify.stdout.contains("restore it from git"), "\(verify.stdout)")
    let diff = try sandbox.vouch(["diff"])
    #expect(diff.stderr.contains("skipped 1 file(s)"), "\(diff.stderr)")
    try sandbox.shell("rm manifests/artifacts/bad.json")
    try sandbox.editJSON("manifests/artifacts/a.txt.json") { $0["size"] = -3 }
    let negative = try sandbox.vouch(["ls"])
    #expect(negative.status == 12)
    #expect(negative.stderr.contains("a byte count cannot be negative"), "\(negative.stderr)")
  }

  /// 1.34: a name whose manifest would pass 255 bytes is refused before anything is stored.
  @Test func row1_34ALongNameIsRefusedBeforeStoring() throws {
    let sandbox = try Sandbox()
    let name = String(repeating: "a", count: 252)
    try sandbox.write(name, "x")
    let add = try sandbox.vouch(["add", name])
    #expect(add.status == 64)
    #expect(add.stderr.contains("rename it to at most 250 bytes"), "\(add.stderr)")
    #expect(!add.stderr.contains("NSCocoaErrorDomain"))
    #expect(try sandbox.objectFiles().isEmpty)
    let fits = String(repeating: "b", count: 250)
    try sandbox.write(fits, "y")
    #expect(try sandbox.vouch(["add", fits]).status == 0)
  }

  /// 2.1 and 7.6: verify counts run record files and lock stages apart.
  @Test func row2_1VerifyCountsWhatItChecked() throws {
    let sandbox = try Sandbox.ranMetric()
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 0)
    #expect(
      verify.stdout.contains("1 lock(s) with 2 stage(s), 2 run record(s), 2 claim(s)"),
      "\(verify.stdout)")
  }

  /// 3.18 and 3.19: an unreadable lock and an unreadable run record give the same status (12).
  @Test func row3_18And3_19UnreadableLocksAndRecordsAreIntegrityFailures() throws {
    let sandbox = try Sandbox.ranMetric()
    let record = try sandbox.metricRunRecordPath("metric")
    let lock = try sandbox.read("manifests/metric.lock.json")
    try sandbox.write("manifests/metric.lock.json", "{")
    for command in [["verify"], ["run"]] {
      #expect(try sandbox.vouch(command).status == 12, "\(command)")
    }
    try sandbox.write("manifests/metric.lock.json", [UInt8](lock))
    try sandbox.write(record, "[]")
    for command in [["verify"], ["run"]] {
      let result = try sandbox.vouch(command)
      #expect(result.status == 12, "\(command): \(result.stdout)\(result.stderr)")
    }
  }

  /// 7.7: a rerun whose output no longer holds a claim's number is a mismatch (13), not a usage
  /// error.
  @Test func row7_7ARerunThatWritesNoJSONIsAMismatch() throws {
    let sandbox = try Sandbox.ranMetric()
    try sandbox.edit(
      "metric.sh", replacing: "}' data/points.csv > results/metric.json",
      with: "}' data/points.csv > /dev/null; echo oops > results/metric.json")
    let reproduce = try sandbox.vouch(["reproduce"])
    #expect(reproduce.status == 13, "\(reproduce.stdout)\(reproduce.stderr)")
    #expect(reproduce.stderr.contains("the rerun did not reproduce"), "\(reproduce.stderr)")
  }
}
