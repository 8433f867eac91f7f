import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch verify`: checks the manifests against the store without recomputing anything.
///
/// Every digest named by an artifact manifest, a lock or a run record must be in the store and
/// hash right; every claim's value digest must match its value; every lock entry's run key must
/// match its fields, its claims must name its outputs' digests, and its outputs must agree with
/// their artifact manifests.
public struct Verifier {
  /// One thing that is wrong.
  public struct Problem: Sendable, Codable, Hashable {
    /// The manifest (or store object) concerned.
    public var file: String
    /// What is wrong.
    public var message: String
  }

  /// What `verify` checked and found.
  public struct Report: Sendable, Codable, Hashable {
    public var artifacts = 0
    public var locks = 0
    public var runs = 0
    public var claims = 0
    /// Distinct digests looked up and re-hashed in the store.
    public var digests = 0
    public var problems: [Problem] = []
  }

  /// The workspace.
  public let workspace: Workspace

  /// Creates a verifier.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Runs every check.
  /// - Throws: `PipelineError` when the manifests cannot be listed at all.
  public func verify() throws -> Report {
    var report = Report()
    var needed: [Digest: String] = [:]
    let artifacts = try workspace.allManifests()
    report.artifacts = artifacts.count
    var artifactDigests: [String: Digest] = [:]
    for manifest in artifacts {
      artifactDigests[manifest.path] = manifest.digest
      let file = "manifests/artifacts/\(manifest.path).json"
      for digest in manifest.referencedDigests where needed[digest] == nil {
        needed[digest] = file
      }
    }
    for name in try workspace.pipelineNames() {
      let file = Workspace.lockPath(for: name)
      let lock: PipelineLock
      do {
        guard let found = try workspace.lock(for: name) else { continue }
        lock = found
      } catch let error as LineageError {
        report.problems.append(Problem(file: file, message: error.message))
        continue
      }
      report.locks += 1
      let definition = try? workspace.pipeline(named: name)
      for (stage, record) in lock.stages.sorted(by: { $0.key < $1.key }) {
        let key = "\(file): stages.\(stage)"
        if let definition, definition.stage(named: stage) == nil {
          report.problems.append(
            Problem(file: file, message: "\(key): the pipeline has no stage '\(stage)' any more"))
        }
        check(record, at: key, into: &report, needed: &needed)
        for (path, digest) in record.outputs.sorted(by: { $0.key < $1.key }) {
          if let tracked = artifactDigests[path], tracked != digest {
            report.problems.append(
              Problem(
                file: file,
                message: "\(key): output \(path) is \(digest.short) here but \(tracked.short) in "
                  + "its artifact manifest; run `vouch run` to record the current state"))
          }
        }
      }
    }
    for record in try workspace.allRunRecords() {
      let file = Workspace.runRecordPath(for: record.runKey)
      check(record, at: file, into: &report, needed: &needed)
    }
    report.digests = needed.count
    checkStore(needed, into: &report)
    return report
  }

  private func check(
    _ record: RunRecord, at key: String, into report: inout Report, needed: inout [Digest: String]
  ) {
    report.runs += 1
    if (try? record.computedRunKey()) != record.runKey {
      report.problems.append(
        Problem(
          file: key, message: "\(key): the run key does not match the record's fields (edited?)"))
    }
    for claim in record.claims {
      report.claims += 1
      if !claim.isConsistent {
        report.problems.append(
          Problem(
            file: key,
            message: "\(key): claim '\(claim.name)' value \(claim.value) does not match its "
              + "value digest; restore the file from git"))
      }
      if let output = record.outputs[claim.source.rawValue], output != claim.sourceDigest {
        report.problems.append(
          Problem(
            file: key,
            message: "\(key): claim '\(claim.name)' was read from \(claim.sourceDigest.short) "
              + "but the output \(claim.source) is \(output.short)"))
      }
    }
    for digest in record.inputs.values.sorted() + record.outputs.values.sorted()
    where needed[digest] == nil {
      needed[digest] = key
    }
  }

  /// Each digest must be stored and hash right: small objects are read back (the store re-hashes
  /// while reading), large ones are materialised to a scratch file, which re-hashes as well.
  private func checkStore(_ needed: [Digest: String], into report: inout Report) {
    let store = workspace.store
    let scratch = workspace.storeDirectory.appendingPathComponent("tmp")
      .appendingPathComponent("verify-\(getpid())")
    defer { try? FileManager.default.removeItem(at: scratch) }
    for (digest, file) in needed.sorted(by: { $0.key < $1.key }) {
      do {
        guard let info = try store.info(digest) else {
          report.problems.append(
            Problem(file: file, message: "\(file): \(digest) is not in the store"))
          continue
        }
        if info.size.value <= 64 << 20 {
          _ = try store.data(for: digest)
        } else {
          try store.materialize(digest, to: scratch, mode: .copy)
        }
      } catch let error as any VouchError {
        report.problems.append(Problem(file: file, message: "\(file): \(error.message)"))
      } catch {
        report.problems.append(Problem(file: file, message: "\(file): \(error)"))
      }
    }
  }
}
