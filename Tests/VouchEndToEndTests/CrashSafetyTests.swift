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
      at: sandbox.root.appendingPathComponent("big.bin"), to: probe.root.appendingPathComponent("big.bin"))
    let started = Date()
    #expect(try probe.vouch(["add", "big.bin"]).status == 0)
    let duration = Date().timeIntervalSince(started)

    var generator = SeededGenerator(seed: 12)
    var killed = 0
    for round in 0..<20 {
      let delay = Double(generator.next() % 1000) / 1000 * duration
      let process = Process()
      process.executableURL = VouchProcess.binary
      process.arguments = ["add", "big.bin"]
      process.currentDirectoryURL = sandbox.root
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(useconds_t(delay * 1_000_000))
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        killed += 1
      }
      process.waitUntilExit()
      try sandbox.expectClean("round \(round), killed after \(delay) s")
      // Start the next round from an empty store half of the time so early kills are exercised
      // on fresh writes, not only on already-stored chunks.
      if round % 2 == 1 {
        #expect(try sandbox.vouch(["gc"]).status == 0)
      }
    }
    #expect(killed >= 10, "only \(killed) of 20 runs were still going when killed")
    let rerun = try sandbox.vouch(["add", "big.bin"])
    #expect(rerun.status == 0, "\(rerun.stderr)")
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("big.bin"))
    #expect(try sandbox.vouch(["checkout"]).status == 0)
    try sandbox.expectClean()
  }
}
