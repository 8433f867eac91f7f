import Foundation
import Testing
import VouchCore
import VouchTestSupport

/// Finding 4.3: "push it again from a store that has it intact" now works — a push heals the
/// damaged objects it finds on the remote.
@Suite struct RemoteHealCommandTests {
  /// A flipped byte keeps the size, so only re-hashing finds it: `--verify-remote` always does.
  @Test func pushVerifyRemoteHealsAFlippedByte() throws {
    let scenario = try RemoteScenario()
    let weights = try scenario.hex(of: "models/m/weights.bin")
    try scenario.flipByte(in: scenario.path(weights), at: 100)
    let broken = try scenario.clone().vouch(["fetch"])
    try #require(broken.status == 12, "the damage is real: \(broken.stdout)")

    let push = try scenario.sandbox.vouch(["push", "--verify-remote"])
    #expect(push.status == 0, "\(push.stderr)")
    #expect(push.stdout.contains("healed   object sha256:\(weights) (models/m/weights.bin)"))
    #expect(push.stdout.contains("healed 1 damaged object(s) on the remote"), "\(push.stdout)")
    #expect(push.stdout.contains("sent 0 object(s)"))
    #expect(scenario.remoteTemporaryFiles().isEmpty)
    try scenario.expectHealthy()
    let again = try scenario.sandbox.vouch(["push", "--verify-remote"])
    #expect(!again.stdout.contains("healed"), "\(again.stdout)")
  }

  /// A truncated object has the wrong size: a plain push finds it without re-reading it.
  @Test func aPlainPushHealsATruncatedChunkBySize() throws {
    let scenario = try RemoteScenario()
    let chunk = try #require(try scenario.chunks(of: "data/big.bin").dropFirst(2).first)
    try scenario.truncate(scenario.path(chunk), to: 1_000)
    let push = try scenario.sandbox.vouch(["push", "--json"])
    #expect(push.status == 0, "\(push.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(push.stdout.utf8)) as? [String: Any])
    let healed = try #require(report["healed"] as? [[String: Any]])
    #expect(healed.count == 1)
    #expect(healed.first?["artifacts"] as? [String] == ["data/big.bin"])
    #expect((healed.first?["detail"] as? String)?.contains("was 1000 bytes") == true)
    #expect((healed.first?["object"] as? [String: Any])?["digest"] as? String == "sha256:\(chunk)")
    #expect(report["transferred"] as? Int == 0)
    let mode =
      try FileManager.default.attributesOfItem(atPath: scenario.path(chunk).path)[
        .posixPermissions] as? Int
    #expect(mode == 0o444)
    try scenario.expectHealthy()
  }

  /// Finding 4.4's forged recipe (chunks swapped, checksum recomputed) is healed too.
  @Test func pushVerifyRemoteHealsAForgedRecipe() throws {
    let scenario = try RemoteScenario()
    let big = try scenario.hex(of: "data/big.bin")
    let url = scenario.path(big, recipe: true)
    // Swap the first two chunk entries and recompute the checksum as vouch does.
    chmod(url.path, 0o644)
    var recipe = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    var chunks = try #require(recipe["chunks"] as? [Any])
    chunks.swapAt(0, 1)
    recipe["chunks"] = chunks
    recipe["checksum"] = nil
    let body = try JSONSerialization.data(
      withJSONObject: recipe, options: [.sortedKeys, .withoutEscapingSlashes])
    recipe["checksum"] = Digest.of(body).description
    try JSONSerialization.data(
      withJSONObject: recipe, options: [.sortedKeys, .withoutEscapingSlashes]
    ).write(to: url)
    #expect(try scenario.sandbox.vouch(["remote", "check"]).status == 12)
    let push = try scenario.sandbox.vouch(["push", "--verify-remote"])
    #expect(push.status == 0, "\(push.stderr)")
    #expect(push.stdout.contains("healed   recipe sha256:\(big)"), "\(push.stdout)")
    try scenario.expectHealthy()
  }
}
