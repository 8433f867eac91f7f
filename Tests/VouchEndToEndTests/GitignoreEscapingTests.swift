import Foundation
import Testing
import VouchTestSupport

/// Names `.gitignore` must spell carefully (findings rows 1.14 and 1.14b): a trailing space is
/// escaped so git keeps it; a control character cannot be written at all, so `vouch add` refuses it.
@Suite struct GitignoreEscapingTests {
  /// Whether git ignores `path` in `sandbox` (`git check-ignore` exits 0).
  func ignored(_ sandbox: Sandbox, _ path: String) throws -> Bool {
    let result = try VouchProcess.run(
      URL(fileURLWithPath: "/usr/bin/git"), ["check-ignore", "-q", "--no-index", path],
      in: sandbox.root)
    return result.status == 0
  }

  @Test func aTrailingSpaceIsKept() throws {
    let sandbox = try Sandbox()
    try sandbox.write("trail ", "spaced")
    try sandbox.write("trail", "plain")
    let result = try sandbox.vouch(["add", "trail "])
    #expect(result.status == 0, "\(result.stderr)")
    let ignore = try String(decoding: sandbox.read(".gitignore"), as: UTF8.self)
    #expect(ignore == "/.vouch/\n/trail\\ \n")
    #expect(try ignored(sandbox, "trail "))
    #expect(try !ignored(sandbox, "trail"))
  }

  @Test func aNewlineInTheNameIsRefusedBeforeAnythingIsStored() throws {
    let sandbox = try Sandbox()
    try sandbox.write("d/new\nline.txt", "data")
    try sandbox.write("other/line.txt", "unrelated")
    let result = try sandbox.vouch(["add", "d/new\nline.txt"])
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "vouch: error: 'd/new\\nline.txt' has a control character (newline) in its name, which .gitignore cannot express; rename it\n"
    )
    #expect(try sandbox.objectFiles().isEmpty)
    #expect(try sandbox.files(under: "manifests").isEmpty)
    let ignore = try String(decoding: sandbox.read(".gitignore"), as: UTF8.self)
    #expect(ignore == "/.vouch/\n")
    #expect(try !ignored(sandbox, "other/line.txt"))
    // Renamed, the file is recorded and ignored.
    try FileManager.default.moveItem(
      at: sandbox.root.appendingPathComponent("d/new\nline.txt"),
      to: sandbox.root.appendingPathComponent("d/new line.txt"))
    #expect(try sandbox.vouch(["add", "d/new line.txt"]).status == 0)
    #expect(try ignored(sandbox, "d/new line.txt"))
    #expect(try !ignored(sandbox, "other/line.txt"))
    try sandbox.expectClean()
  }

  @Test func aControlCharacterInsideAFolderIsRefused() throws {
    let sandbox = try Sandbox()
    try sandbox.write("d/ok.txt", "ok")
    try sandbox.write("d/sub/tab\there.txt", "tabbed")
    let result = try sandbox.vouch(["add", "d"])
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "vouch: error: 'd/sub/tab\\there.txt' has a control character (tab) in its name, which .gitignore cannot express; rename it\n"
    )
    #expect(try sandbox.objectFiles().isEmpty)
    #expect(try sandbox.files(under: "manifests").isEmpty)
    try sandbox.write("e\u{1B}x/f.txt", "escaped folder")
    let escaped = try sandbox.vouch(["add", "e\u{1B}x/f.txt"])
    #expect(escaped.status == 64)
    #expect(escaped.stderr.contains("'e\\u{1B}x/f.txt' has a control character (U+001B)"))
    try sandbox.expectClean()
  }
}
