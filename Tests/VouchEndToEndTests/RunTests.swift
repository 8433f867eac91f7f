import Foundation
import Testing
import VouchTestSupport

@Suite struct RunTests {
  @Test func exampleRunsIsUpToDateAndReproduces() throws {
    let sandbox = try Sandbox.pipeline()
    let first = try sandbox.vouch(["run"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("ran        metric:make-dataset"))
    #expect(first.stdout.contains("slope=1.99"))
    // vouch's commit holds manifests/ only; the example's scripts stay untracked.
    let files = try sandbox.git(["show", "--format=", "--name-only", "HEAD"]).split(separator: "\n")
    #expect(!files.isEmpty)
    #expect(files.allSatisfy { $0.hasPrefix("manifests/") }, "\(files)")
    #expect(files.contains("manifests/metric.lock.json"))
    #expect(try sandbox.git(["status", "--porcelain", "--", "manifests"]) == "")
    let second = try sandbox.vouch(["run"])
    #expect(second.status == 0)
    #expect(second.stdout.components(separatedBy: "up-to-date").count == 3, "\(second.stdout)")
    #expect(try sandbox.git(["rev-list", "--count", "HEAD"]) == "1", "nothing new to commit")
    let reproduce = try sandbox.vouch(["reproduce"])
    #expect(reproduce.status == 0, "\(reproduce.stdout)\(reproduce.stderr)")
    #expect(reproduce.stdout.contains("metric: 4 identical, 0 equivalent, 0 mismatch"))
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 0, "\(verify.stdout)")
  }

  @Test func runCacheRestoresAKnownRunInsteadOfRecomputing() throws {
    let sandbox = try Sandbox.pipeline()
    try #require(try sandbox.vouch(["run"]).status == 0)
    let original = try #require(sandbox.text("data/points.csv"))
    try sandbox.edit("manifests/metric.pipeline.toml", replacing: "rows = 2000", with: "rows = 500")
    let changed = try sandbox.vouch(["run"])
    #expect(changed.stdout.contains("ran        metric:make-dataset"), "\(changed.stdout)")
    #expect(changed.stdout.contains("rows=500.0"))
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("data"))
    try sandbox.edit("manifests/metric.pipeline.toml", replacing: "rows = 500", with: "rows = 2000")
    let cached = try sandbox.vouch(["run", "--json"])
    #expect(cached.status == 0, "\(cached.stderr)")
    #expect(cached.stdout.components(separatedBy: "\"action\": \"cached\"").count == 3)
    #expect(sandbox.text("data/points.csv") == original)
    #expect(try sandbox.git(["rev-list", "--count", "HEAD"]) == "3")
    let forced = try sandbox.vouch(["run", "--force", "metric"])
    #expect(forced.stdout.contains("ran        metric:make-dataset"), "--force reruns dependencies")
  }

  @Test func gcKeepsWhatRunRecordsNeedSoTheRunCacheStillRestores() throws {
    let sandbox = try Sandbox.pipeline()
    try #require(try sandbox.vouch(["run"]).status == 0)
    let original = try #require(sandbox.text("data/points.csv"))
    try sandbox.edit("manifests/metric.pipeline.toml", replacing: "rows = 2000", with: "rows = 500")
    try #require(try sandbox.vouch(["run"]).status == 0)
    // The rows=2000 outputs are now named only by run records, not by any artifact manifest.
    let gc = try sandbox.vouch(["gc"])
    #expect(gc.status == 0, "\(gc.stderr)")
    #expect(try sandbox.vouch(["check"]).status == 0)
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("data"))
    try sandbox.edit("manifests/metric.pipeline.toml", replacing: "rows = 500", with: "rows = 2000")
    let cached = try sandbox.vouch(["run", "--json"])
    #expect(cached.status == 0, "\(cached.stderr)")
    #expect(cached.stdout.components(separatedBy: "\"action\": \"cached\"").count == 3)
    #expect(sandbox.text("data/points.csv") == original)
  }

  @Test func userStagedWorkSurvivesVouchRun() throws {
    let sandbox = try Sandbox.pipeline()
    try sandbox.git(["add", "make_dataset.sh", "metric.sh", "README.md"])
    try sandbox.git(["commit", "-q", "-m", "code"])
    try sandbox.write("notes.txt", "my staged notes\n")
    try sandbox.git(["add", "notes.txt"])
    let run = try sandbox.vouch(["run", "--author", "Robot <robot@example.org>"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try sandbox.git(["diff", "--cached", "--name-only"]) == "notes.txt")
    let committed = try sandbox.git(["show", "--format=%an <%ae>", "--name-only", "HEAD"])
    #expect(committed.hasPrefix("Robot <robot@example.org>"))
    #expect(!committed.contains("notes.txt"))
    #expect(try sandbox.git(["log", "--format=%s", "-1", "HEAD~1"]) == "code")
  }

  @Test func noCommitLeavesChangesUnstaged() throws {
    let sandbox = try Sandbox.pipeline()
    let run = try sandbox.vouch(["run", "--no-commit"])
    #expect(run.status == 0)
    #expect(!run.stdout.contains("committed"))
    #expect(try sandbox.git(["diff", "--cached", "--name-only"]) == "")
    #expect(sandbox.text("manifests/metric.lock.json") != nil)
  }

  @Test func twoClonesWriteByteIdenticalLocks() throws {
    let origin = try Sandbox.pipeline()
    try origin.git(["add", "-A"])
    try origin.git(["commit", "-q", "-m", "pipeline"])
    var locks: [String] = []
    for _ in 0..<2 {
      let clone = try Sandbox(git: false, initialise: false)
      let cloned = try VouchProcess.run(
        URL(fileURLWithPath: "/usr/bin/git"), ["clone", "-q", origin.root.path, "repo"],
        in: clone.root)
      try #require(cloned.status == 0, "\(cloned.stderr)")
      let repo = clone.root.appendingPathComponent("repo")
      for step in [["init"], ["run", "--no-commit"]] {
        let result = try VouchProcess.vouch(step, in: repo)
        try #require(result.status == 0, "\(step): \(result.stderr)")
      }
      locks.append(
        try String(
          contentsOf: repo.appendingPathComponent("manifests/metric.lock.json"), encoding: .utf8))
    }
    #expect(locks[0] == locks[1])
    #expect(locks[0].contains("\"commit\": \""), "the clones record the code commit")
    #expect(!locks[0].contains("\"dirty\": true"))
  }

  @Test func failingCommandReportsStatusAndStderrAndKeepsTheLock() throws {
    let sandbox = try Sandbox.pipeline()
    try #require(try sandbox.vouch(["run"]).status == 0)
    let lock = sandbox.text("manifests/metric.lock.json")
    try sandbox.write(
      "metric.sh", "echo 'reading points' >&2\necho 'awk: division by zero' >&2\nexit 3\n")
    let result = try sandbox.vouch(["run"])
    #expect(result.status == 1)
    let message = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
    #expect(message.contains("stage 'metric' failed with exit status 3"), "\(result.stderr)")
    #expect(message.contains("awk: division by zero"))
    #expect(sandbox.text("manifests/metric.lock.json") == lock)
    #expect(try sandbox.git(["rev-list", "--count", "HEAD"]) == "1")
  }

  @Test func refusesToCommitDuringAMerge() throws {
    let sandbox = try Sandbox.pipeline()
    try sandbox.write("notes.txt", "base\n")
    try sandbox.git(["add", "notes.txt"])
    try sandbox.git(["commit", "-q", "-m", "base"])
    try sandbox.git(["checkout", "-q", "-b", "other"])
    try sandbox.write("notes.txt", "other\n")
    try sandbox.git(["commit", "-q", "-am", "other"])
    try sandbox.git(["checkout", "-q", "-"])
    try sandbox.write("notes.txt", "main\n")
    try sandbox.git(["commit", "-q", "-am", "main"])
    #expect(try sandbox.shell("git merge other").status != 0, "the merge must conflict")
    let objects = try sandbox.objectFiles()
    let result = try sandbox.vouch(["run"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("a merge is in progress"), "\(result.stderr)")
    #expect(sandbox.text("manifests/metric.lock.json") == nil)
    #expect(try sandbox.objectFiles() == objects)
    #expect(try sandbox.vouch(["run", "--no-commit"]).status == 0, "--no-commit works mid-merge")
  }
}
