import Foundation
import Testing
import VouchTestSupport

/// `vouch rm` (findings row 0.7): untracks artifacts, keeps their bytes until `vouch gc`, and
/// refuses paths that are not artifacts or that a pipeline stage writes.
@Suite struct RemoveTests {
  /// A sandbox with the file artifacts data/a.csv and b.txt and the folder artifact d.
  static func sandbox() throws -> Sandbox {
    let sandbox = try Sandbox()
    try sandbox.write("data/a.csv", "x,y\n1,2\n")
    try sandbox.write("b.txt", "bee")
    try sandbox.write("d/one.txt", "one")
    try sandbox.write("d/two.txt", "two")
    let add = try sandbox.vouch(["add", "data/a.csv", "b.txt", "d"])
    try #require(add.status == 0, "\(add.stderr)")
    return sandbox
  }

  @Test func untracksAndKeepsTheFileAndTheStoredBytes() throws {
    let sandbox = try Self.sandbox()
    let objects = try sandbox.objectFiles()
    let result = try sandbox.vouch(["rm", "data/a.csv"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("removed   data/a.csv  dataset  "))
    #expect(result.stdout.contains("(file kept)\n"))
    #expect(
      result.stdout.hasSuffix(
        "1 artifact(s) untracked; their bytes stay in the store until `vouch gc`; commit manifests/ and .gitignore\n"
      ))
    #expect(sandbox.text("data/a.csv") == "x,y\n1,2\n")
    #expect(sandbox.text("manifests/artifacts/data/a.csv.json") == nil)
    #expect(
      !FileManager.default.fileExists(atPath: sandbox.root.path + "/manifests/artifacts/data"))
    #expect(sandbox.text(".gitignore") == "/.vouch/\n/b.txt\n/d\n")
    #expect(try sandbox.objectFiles() == objects)
    let git = try sandbox.shell("git status --porcelain --untracked-files=all")
    #expect(git.stdout.contains("?? data/a.csv\n"))
    let list = try sandbox.vouch(["ls"])
    #expect(!list.stdout.contains("data/a.csv"))
    // Now unreferenced, its object goes at the next gc.
    #expect(try sandbox.vouch(["gc"]).status == 0)
    #expect(try sandbox.objectFiles().count == objects.count - 1)
    try sandbox.expectClean()
  }

  @Test func deleteRemovesTheWorkspaceCopyToo() throws {
    let sandbox = try Self.sandbox()
    let result = try sandbox.vouch(["rm", "--delete", "--json", "d", "b.txt"])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    #expect(rows.map { $0["path"] as? String } == ["d", "b.txt"])
    #expect(rows.allSatisfy { $0["deleted"] as? Bool == true })
    #expect(!FileManager.default.fileExists(atPath: sandbox.root.path + "/d"))
    #expect(sandbox.text("b.txt") == nil)
    #expect(sandbox.text(".gitignore") == "/.vouch/\n/data/a.csv\n")
    try sandbox.expectClean()
  }

  @Test(arguments: [
    (
      ["nope.txt"],
      "'nope.txt' is not an artifact (there is no manifests/artifacts/nope.txt.json); `vouch ls` lists the artifacts"
    ),
    (
      ["b.txt", "d/one.txt"],
      "'d/one.txt' is a file inside the folder artifact 'd'; untrack 'd' as a whole, or delete the file and `vouch add d` again"
    ),
    (["data"], "'data' is not an artifact but holds 1 (data/a.csv); name them one by one"),
  ])
  func refusesWhatIsNotAnArtifactAndChangesNothing(arguments: [String], message: String) throws {
    let sandbox = try Self.sandbox()
    let manifests = try sandbox.files(under: "manifests")
    let ignore = sandbox.text(".gitignore")
    let result = try sandbox.vouch(["rm"] + arguments)
    #expect(result.status == 64)
    #expect(result.stderr == "vouch: error: \(message)\n")
    #expect(try sandbox.files(under: "manifests") == manifests)
    #expect(sandbox.text(".gitignore") == ignore)
  }

  @Test func deleteRefusesUnstoredChanges() throws {
    let sandbox = try Self.sandbox()
    try sandbox.write("d/three.txt", "new, not stored")
    let result = try sandbox.vouch(["rm", "--delete", "d"])
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "vouch: error: 'd' has changes that are not stored, so --delete would lose them; `vouch add` it first, or untrack it without --delete\n"
    )
    #expect(sandbox.text("manifests/artifacts/d.json") != nil)
    #expect(sandbox.text("d/three.txt") == "new, not stored")
  }

  @Test func refusesAStageOutput() throws {
    let sandbox = try Sandbox.pipeline()
    let run = try sandbox.vouch(["run"])
    try #require(run.status == 0, "\(run.stderr)")
    let result = try sandbox.vouch(["rm", "results/metric.json"])
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "vouch: error: 'results/metric.json' is an output of stage 'metric' of pipeline 'metric', which `vouch run` records again; remove it from the stage's outputs in manifests/metric.pipeline.toml instead\n"
    )
    #expect(sandbox.text("manifests/artifacts/results/metric.json.json") != nil)
  }
}
