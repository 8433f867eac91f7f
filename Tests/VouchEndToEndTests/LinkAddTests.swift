import Foundation
import Testing
import VouchTestSupport

/// `vouch add --link`: adoption by hard link through the CLI.
@Suite struct LinkAddTests {
  @Test func linkAdoptsKeepsStatusCleanAndChecksOutElsewhere() throws {
    let sandbox = try Sandbox()
    let bytes = Sandbox.random(3 << 20, seed: 61)
    try sandbox.write("big.bin", bytes)
    let add = try sandbox.vouch(["add", "--link", "big.bin"])
    #expect(add.status == 0, "\(add.stderr)")
    #expect(add.stdout.contains("1 linked"), "\(add.stdout)")
    let attributes = try FileManager.default.attributesOfItem(
      atPath: sandbox.root.appendingPathComponent("big.bin").path)
    #expect((attributes[.posixPermissions] as? Int) == 0o444)
    let status = try sandbox.vouch(["status"])
    #expect(status.status == 0 && !status.stdout.contains("modified"), "\(status.stdout)")
    try sandbox.expectClean()
    // A clone of the workspace's manifests checks out the bytes from the adopted object.
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("big.bin"))
    let checkout = try sandbox.vouch(["checkout", "--mode", "copy"])
    #expect(checkout.status == 0, "\(checkout.stderr)")
    #expect(try sandbox.read("big.bin") == Data(bytes))
  }

  @Test func configMakesLinkTheDefaultAndCopyOverridesIt() throws {
    let sandbox = try Sandbox()
    let config = sandbox.root.appendingPathComponent(".vouch/config")
    var json = try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any]
    json?["add"] = ["link": true]
    try JSONSerialization.data(withJSONObject: json ?? [:]).write(to: config)
    try sandbox.write("a.bin", Sandbox.random(2 << 20, seed: 62))
    try sandbox.write("b.bin", Sandbox.random(2 << 20, seed: 63))
    let linked = try sandbox.vouch(["add", "a.bin"])
    #expect(linked.stdout.contains("1 linked"), "\(linked.stdout) \(linked.stderr)")
    let copied = try sandbox.vouch(["add", "--copy", "b.bin"])
    #expect(copied.status == 0 && !copied.stdout.contains("linked"), "\(copied.stdout)")
    #expect(try sandbox.vouch(["add", "--link", "--copy", "b.bin"]).status == 64)
    try sandbox.write("run.sh", Sandbox.random(2 << 20, seed: 64))
    chmod(sandbox.root.appendingPathComponent("run.sh").path, 0o755)
    let tool = try sandbox.vouch(["add", "run.sh"])
    #expect(tool.status == 0 && !tool.stdout.contains("linked"))
    #expect(tool.stderr.contains("executable"), "\(tool.stderr)")
    try sandbox.expectClean()
  }

  /// SIGKILL `vouch add --link` at 8 seeded moments: the store stays clean, the workspace file
  /// keeps its bytes, and a re-run completes.
  @Test func killedLinkAddLeavesACleanStore() throws {
    let sandbox = try Sandbox()
    let bytes = Data(Sandbox.random(32 << 20, seed: 65))
    try sandbox.write("big.bin", [UInt8](bytes))
    let started = Date()
    #expect(try sandbox.vouch(["add", "--link", "big.bin"]).status == 0)
    let duration = Date().timeIntervalSince(started)
    var generator = SeededGenerator(seed: 66)
    let manifest = sandbox.root.appendingPathComponent("manifests/artifacts/big.bin.json")
    for round in 0..<8 {
      try? FileManager.default.removeItem(at: manifest)
      #expect(try sandbox.vouch(["gc"]).status == 0)
      try sandbox.shell("touch big.bin")
      let delay = Double(generator.next() % 1000) / 1000 * duration
      try sandbox.vouchKilled(["add", "--link", "big.bin"], after: delay)
      try sandbox.expectClean("round \(round), killed after \(delay) s")
      #expect(try sandbox.read("big.bin") == bytes)
    }
    let rerun = try sandbox.vouch(["add", "--link", "big.bin"])
    #expect(rerun.status == 0, "\(rerun.stderr)")
    try sandbox.expectClean()
  }
}
