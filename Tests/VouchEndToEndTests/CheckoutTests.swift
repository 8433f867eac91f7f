import Foundation
import Testing
import VouchTestSupport

@Suite struct CheckoutTests {
  @Test(arguments: ["auto", "copy", "hardlink"])
  func restoresDeletedAndReplacedFiles(mode: String) throws {
    let sandbox = try Sandbox()
    let big = Sandbox.random(3_000_000, seed: 6)
    try sandbox.write("m/weights.safetensors", big)
    try sandbox.write("m/config.json", "{}")
    try sandbox.write("run.sh", "#!/bin/sh\necho hi\n")
    chmod(sandbox.root.appendingPathComponent("run.sh").path, 0o755)
    #expect(try sandbox.vouch(["add", "m", "run.sh"]).status == 0)
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("m"))
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("run.sh"))
    let result = try sandbox.vouch(["checkout", "--mode", mode])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasSuffix("3 file(s) restored (2.86 MiB), 0 already up to date\n"))
    #expect(try sandbox.read("m/weights.safetensors") == Data(big))
    #expect(FileManager.default.isExecutableFile(atPath: sandbox.root.path + "/run.sh"))
    #expect(try sandbox.vouch(["status"]).stdout == "2 artifact(s), all up to date\n")
    let again = try sandbox.vouch(["checkout"])
    #expect(again.stdout == "0 file(s) restored (0 B), 3 already up to date\n")
  }

  /// A touched large file is told unchanged from its stored recipe; a same-size edit of it is
  /// still a local change that checkout refuses to clobber.
  @Test func touchedLargeFilesAreUpToDateAndEditedOnesAreKept() throws {
    let sandbox = try Sandbox()
    var big = Sandbox.random(3_000_000, seed: 16)
    try sandbox.write("big.bin", big)
    #expect(try sandbox.vouch(["add", "big.bin"]).status == 0)
    try sandbox.shell("touch -d '2001-01-01' big.bin")
    let touched = try sandbox.vouch(["checkout"])
    #expect(touched.stdout == "0 file(s) restored (0 B), 1 already up to date\n")
    big[1_234_567] ^= 0x20
    try sandbox.write("big.bin", big)
    try sandbox.shell("touch -d '2002-02-02' big.bin")
    let edited = try sandbox.vouch(["checkout"])
    #expect(edited.status == 1, "\(edited.stderr)")
    #expect(try sandbox.read("big.bin") == Data(big))
  }

  @Test func neverClobbersUnstoredChangesWithoutForce() throws {
    let sandbox = try Sandbox()
    try sandbox.write("notes.txt", "original")
    #expect(try sandbox.vouch(["add", "notes.txt"]).status == 0)
    try sandbox.write("notes.txt", "my precious edit")
    let refused = try sandbox.vouch(["checkout", "notes.txt"])
    #expect(refused.status == 1)
    #expect(
      refused.stderr
        == "vouch: error: 1 file(s) have local changes that are not stored (notes.txt); `vouch add` them to keep them, or `vouch checkout --force` to discard them\n"
    )
    #expect(try sandbox.read("notes.txt") == Data("my precious edit".utf8))
    let forced = try sandbox.vouch(["checkout", "--force", "notes.txt"])
    #expect(forced.status == 0)
    #expect(try sandbox.read("notes.txt") == Data("original".utf8))
  }

  @Test func storedVersionsAreSwappedFreely() throws {
    let sandbox = try Sandbox()
    try sandbox.write("v.txt", "version one")
    #expect(try sandbox.vouch(["add", "v.txt"]).status == 0)
    try sandbox.shell("git add -A && git -c user.email=t@t -c user.name=t commit -qm one")
    try sandbox.write("v.txt", "version two")
    #expect(try sandbox.vouch(["add", "v.txt"]).status == 0)
    // Back to the committed manifest: the workspace holds version two, which is stored.
    try sandbox.shell("git checkout -q -- manifests")
    let result = try sandbox.vouch(["checkout"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try sandbox.read("v.txt") == Data("version one".utf8))
  }

  @Test func singleFileInsideAFolderArtifact() throws {
    let sandbox = try Sandbox()
    try sandbox.write("d/a.txt", "a")
    try sandbox.write("d/b.txt", "b")
    #expect(try sandbox.vouch(["add", "d"]).status == 0)
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("d"))
    let result = try sandbox.vouch(["checkout", "d/b.txt"])
    #expect(result.stdout == "restored  d/b.txt\n1 file(s) restored (1 B), 0 already up to date\n")
    #expect(!FileManager.default.fileExists(atPath: sandbox.root.path + "/d/a.txt"))
    let unknown = try sandbox.vouch(["checkout", "nothing-here"])
    #expect(unknown.status == 64)
    #expect(
      unknown.stderr
        == "vouch: error: no artifact at 'nothing-here'; `vouch ls` lists the recorded artifacts\n")
  }
}
