import Foundation
import Testing
import VouchTestSupport

/// `vouch remote check` and `vouch remote gc`, and finding 4.6 / bug 12: a killed push's
/// temporary files no longer stay in the remote forever.
@Suite struct RemoteMaintenanceCommandTests {
  /// A workspace with a 24 MiB file and a registered (empty) remote, and the temporary files
  /// that a SIGKILLed `vouch push` left in the remote's `tmp/`.
  private func killedPush() throws -> (Sandbox, TemporaryDirectory, URL, [String]) {
    let sandbox = try Sandbox()
    try sandbox.write("big.bin", Sandbox.random(24 << 20, seed: 41))
    #expect(try sandbox.vouch(["add", "big.bin"]).status == 0)
    let shared = try TemporaryDirectory(prefix: "remote")
    let remote = shared.url.appendingPathComponent("lab")
    #expect(try sandbox.vouch(["remote", "add", "lab", remote.path, "--default"]).status == 0)
    // Time one complete push to a scratch remote to know the window to kill in.
    let probe = shared.url.appendingPathComponent("probe")
    #expect(try sandbox.vouch(["remote", "add", "probe", probe.path]).status == 0)
    let started = Date()
    #expect(try sandbox.vouch(["push", "--remote", "probe"]).status == 0)
    let duration = Date().timeIntervalSince(started)
    let tmp = remote.appendingPathComponent("tmp").path
    for attempt in 0..<10 {
      // A push that completed leaves the next one nothing to send: empty the remote's objects
      // (keeping its layout) so every attempt has the whole push to do.
      for area in ["objects/sha256", "recipes/sha256"] {
        let folder = remote.appendingPathComponent(area)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
          try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
      }
      // Objects are staged in tmp/ for most of a push; try kills from 20% to 80% of it.
      let delay = duration * (0.2 + 0.6 * Double(attempt % 5) / 4)
      _ = try sandbox.vouchKilled(["push"], after: delay)
      let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []
      if !leftovers.isEmpty { return (sandbox, shared, remote, leftovers) }
    }
    Issue.record("no killed push left temporary files in 10 attempts (push takes \(duration) s)")
    return (sandbox, shared, remote, [])
  }

  private func json(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func theNextPushRemovesWhatAKilledPushLeft() throws {
    let (sandbox, shared, remote, leftovers) = try killedPush()
    defer { withExtendedLifetime(shared) {} }
    try #require(!leftovers.isEmpty)
    let push = try sandbox.vouch(["push"])
    #expect(push.status == 0, "\(push.stderr)")
    let tmp = try FileManager.default.contentsOfDirectory(
      atPath: remote.appendingPathComponent("tmp").path)
    #expect(tmp.isEmpty, "\(tmp.count) file(s) left in the remote's tmp/")
    #expect(try sandbox.vouch(["remote", "check"]).status == 0)
  }

  @Test func remoteGcRemovesWhatAKilledPushLeft() throws {
    let (sandbox, shared, remote, leftovers) = try killedPush()
    defer { withExtendedLifetime(shared) {} }
    try #require(!leftovers.isEmpty)
    let tmp = remote.appendingPathComponent("tmp").path
    let dry = try sandbox.vouch(["remote", "gc", "--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(
      dry.stdout.contains("would remove \(leftovers.count) temporary file(s)"), "\(dry.stdout)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).count == leftovers.count)
    let gc = try sandbox.vouch(["remote", "gc", "--json"])
    #expect(gc.status == 0, "\(gc.stderr)")
    let result = try #require(try json(gc.stdout)["result"] as? [String: Any])
    #expect((result["leftovers"] as? [String: Any])?["files"] as? Int == leftovers.count)
    #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
    #expect(try sandbox.vouch(["push"]).status == 0)
    #expect(try sandbox.vouch(["remote", "check"]).status == 0)
  }

  @Test func remoteCheckExitsTwelveOnADamagedRemoteAndNamesTheArtifact() throws {
    let scenario = try RemoteScenario()
    let clean = try scenario.sandbox.vouch(["remote", "check"])
    #expect(clean.status == 0, "\(clean.stderr)")
    #expect(clean.stdout.contains("no problems"), "\(clean.stdout)")
    let weights = try scenario.hex(of: "models/m/weights.bin")
    try scenario.flipByte(in: scenario.path(weights), at: 7)
    let check = try scenario.sandbox.vouch(["remote", "check"])
    #expect(check.status == 12)
    #expect(
      check.stdout.contains("corrupt object \(weights.prefix(8)):"), "\(check.stdout)")
    #expect(check.stdout.contains("breaks models/m/weights.bin"), "\(check.stdout)")
    #expect(check.stderr.contains("on the remote 'lab'"), "\(check.stderr)")
    #expect(check.stderr.contains("vouch push --verify-remote"))
    #expect(check.stderr.split(separator: "\n").count == 1, "\(check.stderr)")
    let asJSON = try scenario.sandbox.vouch(["remote", "check", "--json"])
    #expect(asJSON.status == 12)
    let report = try json(asJSON.stdout)
    #expect(report["clean"] as? Bool == false)
    #expect(report["brokenArtifacts"] as? [String] == ["models/m/weights.bin"])
    #expect(try scenario.sandbox.vouch(["push", "--verify-remote"]).status == 0)
    try scenario.expectHealthy()
  }

  @Test func remoteGcUnreferencedRemovesOnlyWhatNothingHereNeeds() throws {
    let scenario = try RemoteScenario()
    // Another clone pushes content this workspace does not reference.
    let stranger = try Sandbox()
    try stranger.write("theirs.bin", Sandbox.random(5_000, seed: 43))
    #expect(try stranger.vouch(["add", "theirs.bin"]).status == 0)
    #expect(try stranger.vouch(["remote", "add", "lab", scenario.remote.path]).status == 0)
    #expect(try stranger.vouch(["push"]).status == 0)
    let theirs = try stranger.shell("sha256sum theirs.bin | cut -c1-64").stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let files = {
      try scenario.sandbox.shell(
        "cd '\(scenario.remote.path)' && find objects recipes -type f | sort"
      ).stdout
    }
    let before = try files()

    let dry = try scenario.sandbox.vouch(["remote", "gc", "--unreferenced", "--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stdout.contains("would remove object sha256:\(theirs)  4.88 KiB"), "\(dry.stdout)")
    #expect(dry.stdout.contains("would remove 1 unreferenced file(s)"), "\(dry.stdout)")
    #expect(try files() == before, "a dry run deletes nothing")

    let gc = try scenario.sandbox.vouch(["remote", "gc", "--unreferenced"])
    #expect(gc.status == 0, "\(gc.stderr)")
    #expect(gc.stdout.contains("removed object sha256:\(theirs)"))
    #expect(!FileManager.default.fileExists(atPath: scenario.path(theirs).path))
    try scenario.expectHealthy()
  }

  /// An earlier run's folder output is recorded only by its listing's digest; a clone whose
  /// store lacks the listing must still keep the folder's files on the remote.
  @Test func remoteGcKeepsTheFilesOfFolderOutputsOnlyTheRemoteLists() throws {
    let sandbox = try Sandbox.pipeline(example: false)
    try sandbox.write(
      "manifests/folder.pipeline.toml",
      """
      schemaVersion = 1
      [stages.make]
      command = "sh make.sh"
      inputs = ["make.sh"]
      outputs = ["out"]
      """)
    try sandbox.write("make.sh", "mkdir -p out/sub\necho first-run > out/sub/b.txt\n")
    try #require(try sandbox.vouch(["run"]).status == 0)
    try sandbox.write("make.sh", "mkdir -p out/sub\necho second-run > out/sub/b.txt\n")
    try #require(try sandbox.vouch(["run"]).status == 0)
    let shared = try TemporaryDirectory(prefix: "remote")
    let remote = shared.url.appendingPathComponent("lab")
    #expect(try sandbox.vouch(["remote", "add", "lab", remote.path, "--default"]).status == 0)
    let push = try sandbox.vouch(["push"])
    try #require(push.status == 0, "\(push.stderr)")
    let first = try sandbox.shell("printf 'first-run\\n' | sha256sum | cut -c1-64").stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let object = remote.appendingPathComponent("objects/sha256/\(first.prefix(2))/\(first)")
    try #require(FileManager.default.fileExists(atPath: object.path), "the first run's file")

    let clone = try Sandbox()
    let copy = try clone.shell("cp -R '\(sandbox.root.path)/manifests/.' manifests/")
    try #require(copy.status == 0, "\(copy.stderr)")
    let gc = try clone.vouch(["remote", "gc", "--unreferenced"])
    #expect(gc.status == 0, "\(gc.stderr)")
    #expect(!gc.stdout.contains(first), "\(gc.stdout)")
    #expect(FileManager.default.fileExists(atPath: object.path))
    #expect(try clone.vouch(["remote", "check"]).status == 0)
  }

  @Test func badInputsGiveOneLineErrorsAndStatuses() throws {
    let scenario = try RemoteScenario(push: false)
    func expectError(_ arguments: [String], _ status: Int32, _ fragment: String) throws {
      let result = try scenario.sandbox.vouch(arguments)
      #expect(result.status == status, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains(fragment), "\(arguments): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
    }
    try expectError(["remote", "check", "--remote", "nope"], 64, "no remote named 'nope'")
    try expectError(["remote", "gc", "--remote", "nope"], 64, "no remote named 'nope'")
    let keepRev = try scenario.sandbox.vouch(["remote", "gc", "--keep-rev", "HEAD"])
    #expect(keepRev.status == 64)
    #expect(keepRev.stderr.hasPrefix("vouch: error: --keep-rev only applies with --unreferenced"))
    try expectError(
      ["remote", "gc", "--unreferenced", "--keep-rev", "no-such-rev"], 64, "no-such-rev")
    try FileManager.default.removeItem(at: scenario.remote)
    try expectError(["remote", "check"], 64, "does not exist")
    try FileManager.default.createDirectory(at: scenario.remote, withIntermediateDirectories: true)
    try "x".write(
      to: scenario.remote.appendingPathComponent("file"), atomically: true, encoding: .utf8)
    try expectError(["remote", "check"], 64, "is not a vouch remote")
    try expectError(["remote", "gc"], 64, "is not a vouch remote")
    let outside = try TemporaryDirectory()
    #expect(try VouchProcess.vouch(["remote", "check"], in: outside.url).status == 10)
    #expect(try VouchProcess.vouch(["remote", "gc"], in: outside.url).status == 10)
  }
}
