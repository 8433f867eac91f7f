import Foundation
import Testing
import VouchTestSupport

@testable import VouchLineage

@Suite struct CodeStateTests {
  @Test func cleanTreeRecordsTheCodeCommit() throws {
    let sandbox = try GitSandbox()
    let head = try sandbox.commit(["run.sh": "echo hi\n"])
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    let state = try repository.codeState()
    #expect(state == CodeState(commit: try GitObjectID(hex: head), dirty: false))
  }

  @Test func vouchsOwnCommitsDoNotChangeTheCodeCommit() throws {
    let sandbox = try GitSandbox()
    let code = try sandbox.commit(["run.sh": "echo hi\n"])
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    for round in 0..<3 {
      try sandbox.write("manifests/lock.json", "{\"round\": \(round)}\n")
      try #require(try repository.commitManifests(message: "vouch \(round)") != nil)
    }
    #expect(try sandbox.git(["rev-list", "--count", "HEAD"]) == "4")
    #expect(try repository.codeState().commit?.hex == code)
    let next = try sandbox.commit(["run.sh": "echo bye\n"])
    #expect(try repository.codeState().commit?.hex == next)
  }

  @Test func dirtyStateIsContentAddressed() throws {
    let sandbox = try GitSandbox()
    try sandbox.commit(["run.sh": "echo hi\n"])
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    try sandbox.write("run.sh", "echo changed\n")
    let first = try repository.codeState()
    #expect(first.dirty)
    #expect(first.changes != nil)
    #expect(try repository.codeState() == first)
    try sandbox.write("run.sh", "echo changed again\n")
    #expect(try repository.codeState().changes != first.changes)
    try sandbox.write("run.sh", "echo changed\n")
    try sandbox.git(["add", "run.sh"])
    #expect(try repository.codeState() == first, "staging does not change what runs")
  }

  @Test func bookkeepingAndExcludedPathsAreNotDirt() throws {
    let sandbox = try GitSandbox()
    try sandbox.commit(["run.sh": "echo hi\n", ".gitignore": "/.vouch/\n"])
    try sandbox.write("manifests/p.pipeline.toml", "schemaVersion = 1\n")
    try sandbox.write(".gitignore", "/.vouch/\n/data/out.csv\n")
    try sandbox.write("sub/.gitignore", "x\n")
    try sandbox.write(".vouch/config", "{}")
    try sandbox.write("results/metric.json", "{}")
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    #expect(try repository.codeState(excluding: ["results"]).dirty == false)
    #expect(try repository.codeState().dirty == true, "results/ is dirt unless excluded")
  }

  @Test func untrackedCodeOnAnUnbornBranch() throws {
    let sandbox = try GitSandbox()
    try sandbox.write("make_data.py", "print(1)\n")
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    let before = try repository.codeState()
    #expect(before.commit == nil)
    #expect(before.dirty)
    try sandbox.write("manifests/lock.json", "{}\n")
    try repository.commitManifests(message: "vouch")
    #expect(try repository.codeState() == before, "a manifests-only history has no code commit")
  }
}
