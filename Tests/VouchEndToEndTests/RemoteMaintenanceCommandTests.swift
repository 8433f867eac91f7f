import Foundation
import Testing
import VouchTestSupport

/// `vouch remote check`, and finding 4.6 / bug 12: a killed push's temporary files no longer
/// stay in the remote forever.
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
}
