import Foundation
import Testing
import VouchTestSupport

/// SIGKILL `vouch add` of a large file at 20 seeded random moments: after each, the store is clean
/// (`vouch check` passes, nothing in tmp/) and a re-run completes.
@Suite struct CrashSafetyTests {
  @Test func killedAddLeavesACleanStore() throws {
    let sandbox = try Sandbox()
    try sandbox.write("big.bin", Sandbox.random(64 << 20, seed: 11))
    // Time one complete add in a scratch workspace to know the window to kill in.
    let probe = try Sandbox()
    try FileManager.default.copyItem(
      at: sandbox.root.appendingPathComponent("big.bin"),
      to: probe.root.appendingPathComponent("big.bin"))
    let started = Date()
    #expect(try probe.vouch(["add", "big.bin"]).status == 0)
    let duration = Date().timeIntervalSince(started)

    var generator = SeededGenerator(seed: 12)
    var killed = 0
    let manifest = sandbox.root.appendingPathComponent("manifests/artifacts/big.bin.json")
    for round in 0..<20 {
      // Make each round do the full work of the probe: without a manifest, gc drops whatever
      // earlier rounds stored (so kills land on half-stored files), and a new mtime defeats the
      // stat cache. Kills fall in the first 80% of the probe's duration.
      try? FileManager.default.removeItem(at: manifest)
      #expect(try sandbox.vouch(["gc"]).status == 0)
      try sandbox.shell("touch big.bin")
      let delay = Double(generator.next() % 1000) / 1000 * duration * 0.8
      if try sandbox.vouchKilled(["add", "big.bin"], after: delay) { killed += 1 }
      try sandbox.expectClean("round \(round), killed after \(delay) s")
    }
    #expect(killed >= 10, "only \(killed) of 20 runs were still going when killed")
    let rerun = try sandbox.vouch(["add", "big.bin"])
    #expect(rerun.status == 0, "\(rerun.stderr)")
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("big.bin"))
    #expect(try sandbox.vouch(["checkout"]).status == 0)
    try sandbox.expectClean()
  }
}
