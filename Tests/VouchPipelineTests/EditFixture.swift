import Foundation
import Testing
import VouchCore
import VouchLineage
import VouchStore
import VouchTestSupport

@testable import VouchPipeline

/// A workspace (no git) holding the metric example run twice — `rows = 2000`, then 500, so
/// `manifests/runs/` has run-cache records the lock no longer lists — plus a file artifact and a
/// folder artifact added by hand: every kind of document `verify` reads.
final class EditFixture {
  let directory: TemporaryDirectory
  let workspace: Workspace
  /// Every lock, run record and artifact manifest, relative to the root.
  let documents: [String]
  /// Run records the lock does not list.
  let historyRecords: Set<String>

  init() throws {
    directory = try TemporaryDirectory(prefix: "edits")
    let root = directory.url.resolvingSymlinksInPath()
    let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("examples/metric-pipeline")
    for name in try FileManager.default.contentsOfDirectory(atPath: example.path) {
      try FileManager.default.copyItem(
        at: example.appendingPathComponent(name), to: root.appendingPathComponent(name))
    }
    _ = try Workspace.initialize(at: root, requireGit: false)
    workspace = try Workspace.locate(from: root)
    try directory.write("notes.txt", "notes")
    try directory.write("ref/a.txt", "alpha")
    try directory.write("ref/sub/b.txt", "beta")
    _ = try ArtifactAdder(workspace: workspace).add(
      ["notes.txt", "ref"], kind: nil, currentDirectory: root)
    var options = PipelineRunner.Options()
    options.commit = false
    _ = try PipelineRunner(workspace: workspace).run(options)
    let toml = root.appendingPathComponent("manifests/metric.pipeline.toml")
    let text = try String(contentsOf: toml, encoding: .utf8)
    try text.replacingOccurrences(of: "rows = 2000", with: "rows = 500")
      .write(to: toml, atomically: true, encoding: .utf8)
    _ = try PipelineRunner(workspace: workspace).run(options)
    let lock = try #require(try workspace.lock(for: "metric"))
    let listed = Set(lock.stages.values.map { Workspace.runRecordPath(for: $0.runKey) })
    let runs = try workspace.names(in: Workspace.runsFolder).map { "\(Workspace.runsFolder)/\($0)" }
    historyRecords = Set(runs).subtracting(listed)
    try #require(historyRecords.count == 2)
    let manifests = try workspace.allManifests().map {
      "\(Workspace.artifactManifestFolder)/\($0.path).json"
    }
    documents = [Workspace.lockPath(for: "metric")] + runs.sorted() + manifests
  }

  /// The kind of an edit that `verify` cannot catch, as `docs/THREAT-MODEL.md` lists it, or
  /// `nil` for one it must catch.
  func isUndetectable(_ edit: VerifyEditPropertyTests.Edit) -> String? {
    let last = edit.path.last ?? ""
    if edit.file.hasPrefix(Workspace.runsFolder), ["startedAt", "wallTimeSeconds"].contains(last) {
      return "a run's start or wall time"
    }
    if edit.file.hasPrefix(Workspace.artifactManifestFolder), edit.path == ["kind"] {
      return "an artifact's kind label"
    }
    if edit.file.hasPrefix(Workspace.artifactManifestFolder), edit.path == ["executable"] {
      return "a single-file artifact's executable flag"
    }
    if historyRecords.contains(edit.file), edit.path.first == "claims",
      edit.path.count >= 3, ["name", "unit", "tolerance", "direction"].contains(edit.path[2])
    {
      return "a claim's name, unit or tolerance in a run-cache record no lock lists"
    }
    return nil
  }
}
