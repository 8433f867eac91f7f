import Foundation
import Testing
import VouchTestSupport

/// Each bad input of issue 2: a one-line message, its exit status, and nothing partial left.
@Suite struct BadInputTests {
  /// Runs `vouch add arguments…`, expects `status` and exactly `message` on one line, then checks
  /// that no object, recipe or manifest was written and the store is clean.
  func expectRefusedAdd(
    _ sandbox: Sandbox, _ arguments: [String], status: Int32, message: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let objectsBefore = try sandbox.objectFiles()
    let result = try sandbox.vouch(["add"] + arguments)
    #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr == "vouch: error: \(message)\n", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
    #expect(try sandbox.objectFiles() == objectsBefore, sourceLocation: sourceLocation)
    #expect(try sandbox.files(under: "manifests").isEmpty, sourceLocation: sourceLocation)
    try sandbox.expectClean(sourceLocation: sourceLocation)
  }

  @Test func missingPath() throws {
    let sandbox = try Sandbox()
    try expectRefusedAdd(
      sandbox, ["nope.csv"], status: 64,
      message: "'nope.csv' does not exist; check the spelling, or create the file before adding it")
  }

  @Test func pathOutsideTheWorkspace() throws {
    let sandbox = try Sandbox()
    let outside = try TemporaryDirectory(prefix: "outside")
    let file = try outside.write("x.bin", "x")
    let real = file.resolvingSymlinksInPath().path
    try expectRefusedAdd(
      sandbox, [real], status: 64,
      message:
        "'\(real)' is outside the workspace \(sandbox.root.path); move it inside the workspace or run vouch from the workspace that holds it"
    )
  }

  @Test func symlinkEscapingTheWorkspace() throws {
    let sandbox = try Sandbox()
    let outside = try TemporaryDirectory(prefix: "outside")
    let target = try outside.write("secret.bin", "x").resolvingSymlinksInPath().path
    try FileManager.default.createSymbolicLink(
      atPath: sandbox.root.path + "/link.bin", withDestinationPath: target)
    try expectRefusedAdd(
      sandbox, ["link.bin"], status: 64,
      message:
        "'link.bin' is a symlink that leads outside the workspace (to \(target)); copy the data into the workspace instead"
    )
    try sandbox.write("d/ok.txt", "ok")
    try FileManager.default.createSymbolicLink(
      atPath: sandbox.root.path + "/d/link.bin", withDestinationPath: target)
    try expectRefusedAdd(
      sandbox, ["d"], status: 64,
      message:
        "'d/link.bin' is a symlink that leads outside the workspace (to \(target)); replace it with a copy of the data"
    )
  }

  /// Tests run as root, which reads mode-000 files; `setpriv` drops the two capabilities that let
  /// root bypass file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the bounding set,
  /// so the `vouch` it runs meets the same EACCES as any user.
  @Test func unreadableFile() throws {
    let sandbox = try Sandbox()
    try sandbox.write("secret.bin", "s")
    try sandbox.write("d/ok.txt", "ok")
    try sandbox.write("d/locked.txt", "no")
    chmod(sandbox.root.path + "/secret.bin", 0)
    chmod(sandbox.root.path + "/d/locked.txt", 0)
    for (arguments, shown) in [(["secret.bin"], "secret.bin"), (["d"], "d/locked.txt")] {
      let result = try VouchProcess.run(
        URL(fileURLWithPath: "/usr/bin/setpriv"),
        ["--bounding-set", "-dac_override,-dac_read_search", VouchProcess.binary.path, "add"]
          + arguments,
        in: sandbox.root)
      #expect(result.status == 64, "\(result.stderr)")
      #expect(
        result.stderr
          == "vouch: error: cannot read '\(shown)': permission denied; give yourself read access (chmod u+r '\(shown)') or leave it out\n"
      )
    }
    #expect(try sandbox.objectFiles().isEmpty)
    #expect(try sandbox.files(under: "manifests").isEmpty)
    try sandbox.expectClean()
  }

  @Test func fileChangingWhileBeingAdded() throws {
    let sandbox = try Sandbox()
    try sandbox.write("grow.bin", Sandbox.random(48 << 20, seed: 7))
    // A writer appends for as long as the test runs; vouch must notice the file moving under it.
    let writer = Process()
    writer.executableURL = URL(fileURLWithPath: "/bin/sh")
    writer.arguments = ["-c", "while :; do printf 0123456789 >> grow.bin; done"]
    writer.currentDirectoryURL = sandbox.root
    try writer.run()
    // SIGKILL: the shell may inherit an ignored SIGTERM from the test runner.
    defer {
      kill(writer.processIdentifier, SIGKILL)
      writer.waitUntilExit()
    }
    usleep(50_000)
    let result = try sandbox.vouch(["add", "grow.bin"])
    kill(writer.processIdentifier, SIGKILL)
    writer.waitUntilExit()
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("vouch: error: "))
    #expect(result.stderr.contains("grow.bin"))
    #expect(result.stderr.contains("changed while"))
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(try sandbox.files(under: "manifests").isEmpty)
    try sandbox.expectClean()
  }

  @Test func corruptedIndex() throws {
    let sandbox = try Sandbox()
    try sandbox.write("a.txt", "a")
    #expect(try sandbox.vouch(["add", "a.txt"]).status == 0)
    for suffix in ["-wal", "-shm"] {
      try? FileManager.default.removeItem(
        atPath: sandbox.root.path + "/.vouch/index.sqlite" + suffix)
    }
    try Data(repeating: 0x5a, count: 8192).write(
      to: sandbox.root.appendingPathComponent(".vouch/index.sqlite"))
    let result = try sandbox.vouch(["status"])
    #expect(result.status != 0)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("vouch check --repair-index"), "\(result.stderr)")
    let repair = try sandbox.vouch(["check", "--repair-index"])
    #expect(repair.status == 0, "\(repair.stderr)")
    #expect(try sandbox.vouch(["status"]).stdout == "1 artifact(s), all up to date\n")
    try sandbox.expectClean()
  }
}
