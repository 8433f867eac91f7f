import Foundation
import Testing
import VouchTestSupport

@testable import VouchLineage

@Suite struct ManifestRepositoryTests {
  @Test func commitsOnAnUnbornBranch() throws {
    let sandbox = try GitSandbox()
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    #expect(try repository.head() == .unborn(branch: "refs/heads/main"))
    try sandbox.write("manifests/a.json", "{\"a\": 1}\n")
    try sandbox.write("train.py", "print(1)\n")
    let commit = try #require(try repository.commitManifests(message: "vouch: record a"))
    #expect(try sandbox.git(["rev-parse", "main"]) == commit.hex)
    #expect(try sandbox.lines(["ls-tree", "-r", "--name-only", "HEAD"]) == ["manifests/a.json"])
    #expect(
      try sandbox.git(["log", "--format=%s|%an|%ae"])
        == "vouch: record a|Sandbox Tester|tester@example.org")
    // The user's untracked file is neither committed nor staged.
    #expect(try sandbox.git(["status", "--porcelain"]) == "?? train.py")
    #expect(try repository.head() == .branch("refs/heads/main", commit: commit))
  }

  @Test func userStagedWorkSurvivesAVouchCommit() throws {
    let sandbox = try GitSandbox()
    try sandbox.commit(["README.md": "one\n", "manifests/old.json": "{}\n"])
    try sandbox.write("README.md", "two\n")
    try sandbox.write("notes.txt", "staged note\n")
    try sandbox.git(["add", "README.md", "notes.txt"])
    try sandbox.write("README.md", "three (unstaged)\n")
    try sandbox.write("manifests/new.json", "{\"n\": 2}\n")
    try sandbox.write("manifests/old.json", "{\"o\": 1}\n")

    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    let commit = try #require(
      try repository.commitManifests(
        message: "vouch: run", author: GitAuthor(name: "Ada", email: "ada@example.org")))

    let committed = try sandbox.lines(["show", "--format=", "--name-only", commit.hex])
    #expect(committed == ["manifests/new.json", "manifests/old.json"])
    #expect(try sandbox.git(["log", "-1", "--format=%an <%ae>"]) == "Ada <ada@example.org>")
    #expect(try sandbox.lines(["diff", "--cached", "--name-only"]) == ["README.md", "notes.txt"])
    #expect(try sandbox.git(["show", ":README.md"]) == "two")
    #expect(try sandbox.read("README.md") == "three (unstaged)\n")
    #expect(try sandbox.git(["status", "--porcelain", "--", "manifests"]) == "")
  }

  @Test func commitsOnADetachedHead() throws {
    let sandbox = try GitSandbox()
    let first = try sandbox.commit(["code.py": "x = 1\n"])
    try sandbox.git(["checkout", "-q", "--detach"])
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    #expect(try repository.head() == .detached(commit: GitObjectID(hex: first)))
    try sandbox.write("manifests/m.json", "{}\n")
    let commit = try #require(try repository.commitManifests(message: "vouch: detached"))
    #expect(try sandbox.git(["rev-parse", "HEAD"]) == commit.hex)
    #expect(try sandbox.git(["rev-parse", "main"]) == first)
    #expect(try sandbox.git(["rev-parse", "HEAD~1"]) == first)
    #expect(try repository.head() == .detached(commit: commit))
  }

  @Test func refusesABareRepository() throws {
    let sandbox = try GitSandbox(bare: true)
    #expect {
      try ManifestRepository(discoveringFrom: sandbox.url)
    } throws: { error in
      (error as? LineageError)?.message.contains("bare git repository") == true
    }
  }

  @Test func refusesOutsideARepository() throws {
    let directory = try TemporaryDirectory()
    #expect(throws: LineageError.self) { try ManifestRepository(discoveringFrom: directory.url) }
  }

  @Test func refusesToCommitDuringAMerge() throws {
    let sandbox = try GitSandbox()
    try sandbox.commit(["f.txt": "base\n"])
    try sandbox.git(["checkout", "-q", "-b", "other"])
    try sandbox.commit(["f.txt": "other\n"])
    try sandbox.git(["checkout", "-q", "main"])
    try sandbox.commit(["f.txt": "main\n"])
    try sandbox.git(["merge", "other"], allowFailure: true)
    try sandbox.write("manifests/m.json", "{}\n")
    let before = try sandbox.git(["rev-parse", "HEAD"])
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    #expect {
      try repository.commitManifests(message: "vouch")
    } throws: { error in
      let message = (error as? LineageError)?.message ?? ""
      return message.contains("merge is in progress") && message.contains("git merge --abort")
    }
    #expect(try sandbox.git(["rev-parse", "HEAD"]) == before)
  }

  @Test func respectsGitignoreAndCommitsDeletions() throws {
    let sandbox = try GitSandbox()
    try sandbox.commit([".gitignore": "manifests/*.tmp\n", "manifests/gone.json": "{}\n"])
    try sandbox.write("manifests/scratch.tmp", "junk")
    try sandbox.write("manifests/sub/kept.json", "{}\n")
    try FileManager.default.removeItem(
      at: sandbox.url.appendingPathComponent("manifests/gone.json"))
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    try #require(try repository.commitManifests(message: "vouch") != nil)
    #expect(
      try sandbox.lines(["ls-tree", "-r", "--name-only", "HEAD"]) == [
        ".gitignore", "manifests/sub/kept.json",
      ])
    #expect(try sandbox.git(["status", "--porcelain", "--", "manifests"]) == "")
    // Nothing changed since: no second commit.
    #expect(try repository.commitManifests(message: "vouch again") == nil)
    #expect(try sandbox.git(["rev-list", "--count", "HEAD"]) == "2")
  }

  @Test func readsManifestsAndFilesAtARevision() throws {
    let sandbox = try GitSandbox()
    try sandbox.commit(["manifests/a.json": "1\n", "code.py": "pass\n"])
    try sandbox.commit(["manifests/a.json": "2\n", "manifests/b/c.json": "3\n"])
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    let now = try repository.manifestFiles(at: "HEAD")
    #expect(now.keys.sorted() == ["manifests/a.json", "manifests/b/c.json"])
    #expect(now["manifests/a.json"] == Data("2\n".utf8))
    #expect(try repository.manifestFiles(at: "HEAD~1") == ["manifests/a.json": Data("1\n".utf8)])
    #expect(try repository.file("manifests/a.json", at: "HEAD~1") == Data("1\n".utf8))
    #expect(try repository.file("manifests/none.json", at: "HEAD") == nil)
    #expect(try repository.resolve("main~1").hex == sandbox.git(["rev-parse", "HEAD~1"]))
    #expect(throws: LineageError.self) { try repository.resolve("no-such-branch") }
  }

  @Test func revisionsOnAnEmptyRepositoryExplainThemselves() throws {
    let sandbox = try GitSandbox()
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    #expect {
      try repository.resolve("HEAD")
    } throws: { error in
      (error as? LineageError)?.message.contains("no commits yet") == true
    }
    #expect(try repository.history(of: "manifests/a.json").isEmpty)
  }

  @Test func historyListsTheCommitsThatChangedAPath() throws {
    let sandbox = try GitSandbox()
    try sandbox.commit(["manifests/a.json": "v1\n"], message: "one")
    try sandbox.commit(["code.py": "pass\n"], message: "unrelated")
    try sandbox.commit(["manifests/a.json": "v2\n"], message: "two")
    try sandbox.git(["rm", "-q", "manifests/a.json"])
    try sandbox.git(["commit", "-q", "-m", "three"])
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    let versions = try repository.history(of: "manifests/a.json")
    #expect(versions.map(\.commit.summary) == ["three", "two", "one"])
    #expect(versions.map(\.contents) == [nil, Data("v2\n".utf8), Data("v1\n".utf8)])
    #expect(try repository.history(of: "manifests/a.json", limit: 1).count == 1)
  }

  @Test func authorComesFromGitConfigOrAnOverride() throws {
    let sandbox = try GitSandbox()
    let repository = try ManifestRepository(discoveringFrom: sandbox.url)
    #expect(
      try repository.configuredAuthor()
        == GitAuthor(name: "Sandbox Tester", email: "tester@example.org"))
    #expect(try GitAuthor(parsing: " Grace Hopper <grace@navy.mil> ").name == "Grace Hopper")
    #expect(throws: LineageError.self) { try GitAuthor(parsing: "no email here") }
    #expect(throws: LineageError.self) { try GitAuthor(parsing: "<only@email>") }
  }
}
