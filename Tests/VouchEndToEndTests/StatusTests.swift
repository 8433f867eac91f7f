import Foundation
import Testing
import VouchTestSupport

@Suite struct StatusTests {
  @Test func reportsModifiedDeletedAndNewFiles() throws {
    let sandbox = try Sandbox()
    try sandbox.write("d/keep.txt", "keep")
    try sandbox.write("d/edit.txt", "before")
    try sandbox.write("d/gone.txt", "gone")
    try sandbox.write("single.bin", Sandbox.random(1000, seed: 5))
    #expect(try sandbox.vouch(["add", "d", "single.bin"]).status == 0)

    let clean = try sandbox.vouch(["status"])
    #expect(clean.status == 0)
    #expect(clean.stdout == "2 artifact(s), all up to date\n")

    try sandbox.write("d/edit.txt", "after!")
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("d/gone.txt"))
    try sandbox.write("d/extra.txt", "new")
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("single.bin"))
    let dirty = try sandbox.vouch(["status"])
    #expect(dirty.status == 0)
    #expect(
      dirty.stdout == """
        modified: d
          modified: d/edit.txt
          new:      d/extra.txt
          deleted:  d/gone.txt
        deleted:  single.bin
        2 of 2 artifact(s) changed; `vouch add` to record, `vouch checkout` to restore

        """)
    let json = try sandbox.vouch(["status", "--json"])
    #expect(json.stdout.contains(#""state": "deleted""#))
    #expect(json.stdout.contains(#""unchangedFiles": 1"#))
  }

  @Test func sameSizeEditWithRestoredMtimeIsStillSeenThroughTheInodeOrHash() throws {
    let sandbox = try Sandbox()
    try sandbox.write("f.txt", "aaaa")
    #expect(try sandbox.vouch(["add", "f.txt"]).status == 0)
    // Replace the file by a new inode with the same size; touch -r keeps the old mtime.
    try sandbox.shell(
      "cp -p f.txt f.old && printf bbbb > f.new && touch -r f.old f.new && mv f.new f.txt")
    let result = try sandbox.vouch(["status"])
    #expect(result.stdout.hasPrefix("modified: f.txt\n"))
  }

  /// A stat-changed large file is checked against its stored recipe (status and re-add): a
  /// touch is no change, a same-size edit is one, and the re-add records the new content.
  @Test func touchedLargeFilesAreCheckedAgainstTheirRecipe() throws {
    let sandbox = try Sandbox()
    var bytes = Sandbox.random(3 << 20, seed: 9)
    try sandbox.write("big.bin", bytes)
    #expect(try sandbox.vouch(["add", "big.bin"]).status == 0)
    try sandbox.shell("touch -d '2001-01-01' big.bin")
    #expect(try sandbox.vouch(["status"]).stdout == "1 artifact(s), all up to date\n")
    let readd = try sandbox.vouch(["add", "big.bin", "--json"])
    #expect(readd.status == 0)
    #expect(readd.stdout.contains(#""newBytes": 0"#))

    bytes[2_500_000] ^= 0x10
    try sandbox.write("big.bin", bytes)
    try sandbox.shell("touch -d '2002-02-02' big.bin")
    #expect(try sandbox.vouch(["status"]).stdout.hasPrefix("modified: big.bin\n"))
    #expect(try sandbox.vouch(["add", "big.bin"]).status == 0)
    #expect(try sandbox.vouch(["status"]).stdout == "1 artifact(s), all up to date\n")
    #expect(try sandbox.vouch(["check"]).status == 0)
    let expected = try sandbox.shell("sha256sum big.bin").stdout.prefix(64)
    #expect(try sandbox.vouch(["show", "big.bin", "--json"]).stdout.contains(expected))
  }
}
