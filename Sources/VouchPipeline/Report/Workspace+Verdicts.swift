import Foundation
import VouchCore
import VouchLineage

extension Workspace {
  /// The folder of verdict records, under `.vouch/`: `.vouch/verdicts/<pipeline>.json`.
  public static let verdictsFolder = "verdicts"

  /// Where the verdict record of `pipeline` lives.
  public func verdictURL(for pipeline: String) -> URL {
    storeDirectory.appendingPathComponent(Self.verdictsFolder, isDirectory: true)
      .appendingPathComponent("\(pipeline).json")
  }

  /// The last recorded check of `pipeline`, or `nil` when it was never checked here.
  /// - Throws: `PipelineError` when the record exists but cannot be read.
  public func verdicts(for pipeline: String) throws -> VerdictRecord? {
    let url = verdictURL(for: pipeline)
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      if !FileManager.default.fileExists(atPath: url.path) { return nil }
      throw PipelineError.failure(
        "cannot read \(Self.storeDirectoryName)/\(Self.verdictsFolder)/\(pipeline).json: "
          + Self.reason(error))
    }
    return try VerdictRecord.decode(
      data, file: "\(Self.storeDirectoryName)/\(Self.verdictsFolder)/\(pipeline).json")
  }

  /// Records `record` as the last check of its pipeline, keeping the entries of stages it did not
  /// check whose run is still the lock's (see ``VerdictRecord/merging(_:lock:)``).
  ///
  /// Written as canonical pretty JSON through a temporary file in the same folder and a rename,
  /// so a reader sees the old record or the new one, never half of one.
  /// - Throws: `PipelineError` when the folder or file cannot be written.
  public func recordVerdicts(_ record: VerdictRecord) throws {
    var merged = record
    if let lock = try? lock(for: record.pipeline),
      let previous = try? verdicts(for: record.pipeline)
    {
      merged = previous.merging(record, lock: lock)
    }
    let url = verdictURL(for: record.pipeline)
    let folder = url.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(".\(record.pipeline).json.\(UUID().uuidString)")
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try CanonicalJSON.prettyData(for: merged).write(to: temporary)
      guard rename(temporary.path, url.path) == 0 else {
        throw PipelineError.failure(String(cString: strerror(errno)))
      }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      let reason = (error as? PipelineError)?.message ?? Self.reason(error)
      throw PipelineError.failure("cannot record the verdicts in \(url.path): \(reason)")
    }
  }

  /// Records what `vouch reproduce` found as the last check of its pipeline.
  /// - Throws: `PipelineError` when the lock cannot be read or the record cannot be written.
  public func recordVerdicts(of report: Reproducer.Report) throws {
    guard let lock = try lock(for: report.pipeline) else { return }
    try recordVerdicts(VerdictRecord(report, lock: lock, commit: manifestsCommit()))
  }

  /// The manifests commit a check describes: git HEAD, or `nil` outside git or before the first
  /// commit.
  func manifestsCommit() -> GitObjectID? {
    (try? ManifestRepository(discoveringFrom: root).head())?.commit
  }
}

extension VerdictRecord {
  /// The record of a `vouch reproduce` run: each stage it reran, with its outputs and claims.
  /// - Parameters:
  ///   - report: What the reproduction found.
  ///   - lock: The pipeline's lock (for the run keys it checked).
  ///   - commit: The manifests commit.
  public init(_ report: Reproducer.Report, lock: PipelineLock, commit: GitObjectID?) {
    var stages: [String: Stage] = [:]
    for note in report.stages {
      guard let record = lock.stages[note.stage] else { continue }
      let outputs = report.outputs.filter { $0.stage == note.stage }.map {
        ($0.path, Output(verdict: $0.verdict, recorded: $0.recorded, reproduced: $0.reproduced))
      }
      let claims = report.claims.filter { $0.stage == note.stage }.map {
        (
          $0.claim,
          Claim(
            verdict: $0.verdict, recorded: $0.recorded, reproduced: $0.reproduced,
            tolerance: $0.tolerance)
        )
      }
      stages[note.stage] = Stage(
        command: .reproduce, commit: commit, runKey: record.runKey,
        outputs: Dictionary(outputs, uniquingKeysWith: { first, _ in first }),
        claims: Dictionary(claims, uniquingKeysWith: { first, _ in first }))
    }
    self.init(pipeline: report.pipeline, command: .reproduce, commit: commit, stages: stages)
  }
}
