import Foundation
import Testing
import VouchTestSupport

@Suite struct AddTests {
  @Test func addsAFileWritesItsManifestAndIgnoresIt() throws {
    let sandbox = try Sandbox()
    let bytes = Sandbox.random(100_000, seed: 1)
    try sandbox.write("data/train.csv", bytes)
    let result = try sandbox.vouch(["add", "data/train.csv"])
    #expect(result.status == 0, "\(result.stderr)")
    let digest = try sha256(sandbox, "data/train.csv")
    #expect(
      result.stdout.hasPrefix("new       data/train.csv  dataset  \(digest.prefix(8))  97.7 KiB\n"))
    let manifest = try String(
      decoding: sandbox.read("manifests/artifacts/data/train.csv.json"), as: UTF8.self)
    #expect(
      manifest == """
        {
          "digest": "sha256:\(digest)",
          "executable": false,
          "kind": "dataset",
          "path": "data/train.csv",
          "schemaVersion": 1,
          "size": 100000
        }

        """)
    let ignore = try String(decoding: sandbox.read(".gitignore"), as: UTF8.self)
    #expect(ignore == "/.vouch/\n/data/train.csv\n")
    // git sees the manifest but not the bytes.
    let git = try sandbox.shell("git status --porcelain --untracked-files=all")
    #expect(git.stdout.contains("manifests/artifacts/data/train.csv.json"))
    #expect(!git.stdout.contains("data/train.csv\n"))
    try sandbox.expectClean()
  }

  @Test func addingAgainIsIdempotentAndChangesAreRecorded() throws {
    let sandbox = try Sandbox()
    try sandbox.write("a.bin", Sandbox.random(5000, seed: 2))
    #expect(try sandbox.vouch(["add", "a.bin"]).status == 0)
    let again = try sandbox.vouch(["add", "a.bin"])
    #expect(again.stdout.hasPrefix("unchanged a.bin"))
    #expect(again.stdout.contains("0 B new in the store"))
    try sandbox.write("a.bin", Sandbox.random(5000, seed: 3))
    let changed = try sandbox.vouch(["add", "a.bin", "--json"])
    #expect(changed.status == 0)
    #expect(changed.stdout.contains(#""change": "updated""#))
    #expect(try String(decoding: sandbox.read(".gitignore"), as: UTF8.self) == "/.vouch/\n/a.bin\n")
  }

  @Test func modelFolderIsDetectedAndListed() throws {
    let sandbox = try Sandbox()
    try sandbox.write("models/tiny/config.json", #"{"hidden_size": 8}"#)
    try sandbox.write("models/tiny/model.safetensors", Sandbox.random(70_000, seed: 4))
    try sandbox.write("models/tiny/tokenizer/vocab.txt", "a\nb\n")
    let result = try sandbox.vouch(["add", "models/tiny", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains(#""kind": "model""#))
    #expect(result.stdout.contains(#""fileCount": 3"#))
    let manifest = try String(
      decoding: sandbox.read("manifests/artifacts/models/tiny.json"), as: UTF8.self)
    #expect(manifest.contains(#""path": "tokenizer/vocab.txt""#))
    let config = try sha256(sandbox, "models/tiny/config.json")
    #expect(manifest.contains("sha256:\(config)"))
    try sandbox.expectClean()
  }

  @Test func kindCanBeGiven() throws {
    let sandbox = try Sandbox()
    try sandbox.write("notes.md", "# notes")
    let result = try sandbox.vouch(["add", "--kind", "labels", "notes.md", "--json"])
    #expect(result.stdout.contains(#""kind": "labels""#))
    let bad = try sandbox.vouch(["add", "--kind", "banana", "notes.md"])
    #expect(bad.status == 64)
  }

  @Test func pathsAreRelativeToTheCurrentDirectory() throws {
    let sandbox = try Sandbox()
    try sandbox.write("sub/x.txt", "x")
    try sandbox.write("y.txt", "y")
    let result = try sandbox.vouch(["add", "x.txt", "../y.txt"], in: "sub")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      FileManager.default.fileExists(
        atPath: sandbox.root.path + "/manifests/artifacts/sub/x.txt.json"))
    #expect(
      FileManager.default.fileExists(atPath: sandbox.root.path + "/manifests/artifacts/y.txt.json"))
  }

  @Test func nestedArtifactsAreRefused() throws {
    let sandbox = try Sandbox()
    try sandbox.write("d/a.txt", "a")
    #expect(try sandbox.vouch(["add", "d"]).status == 0)
    let inner = try sandbox.vouch(["add", "d/a.txt"])
    #expect(inner.status == 64)
    #expect(
      inner.stderr
        == "vouch: error: 'd/a.txt' is inside the artifact 'd'; add 'd' again to record the change instead\n"
    )
  }

  /// `sha256sum` of a workspace file: the digest vouch must agree with.
  func sha256(_ sandbox: Sandbox, _ path: String) throws -> String {
    let result = try sandbox.shell("sha256sum '\(path)'")
    return String(result.stdout.prefix(64))
  }
}
