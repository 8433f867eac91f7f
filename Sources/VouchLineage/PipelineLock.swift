import Foundation
import VouchCore

/// `manifests/<name>.lock.json`: the latest run of each stage of a pipeline, machine-written as
/// canonical pretty JSON.
///
/// Records in the lock carry no times, so the same pipeline run on two clones of the same commit
/// gives byte-identical locks.
public struct PipelineLock: Hashable, Sendable, Codable {
  /// Always ``LineageSchema/lockVersion`` once decoded.
  public var schemaVersion: Int
  /// The pipeline's name.
  public var pipeline: String
  /// Stage name → its latest run.
  public var stages: [String: RunRecord]

  /// An empty lock for `pipeline`.
  public init(pipeline: String) {
    schemaVersion = LineageSchema.lockVersion
    self.pipeline = pipeline
    stages = [:]
  }

  /// The suffix of lock files under `manifests/`.
  public static let fileSuffix = ".lock.json"

  /// Canonical pretty bytes, as written to disk.
  /// - Throws: `CoreError` if a record cannot be encoded (it always can).
  public func encoded() throws -> Data {
    var copy = self
    copy.stages = stages.mapValues(\.withoutTimes)
    return try CanonicalJSON.prettyData(for: copy)
  }

  /// Decodes a lock, rejecting unknown schema versions and malformed digests and paths.
  /// - Parameters:
  ///   - data: The file's bytes.
  ///   - file: How to name it in messages.
  /// - Returns: The lock.
  /// - Throws: `LineageError` (usage) naming the file and key.
  public static func decode(_ data: Data, file: String) throws -> PipelineLock {
    let lock = try ManifestCoding.decode(
      PipelineLock.self, from: data, file: file, document: "lock",
      supported: LineageSchema.lockVersion)
    for (name, record) in lock.stages {
      try record.validate(file: file, key: "stages.\(name).")
    }
    return lock
  }
}

extension RunRecord {
  /// Decodes a run record file (`manifests/runs/<key>.json`).
  /// - Throws: `LineageError` (usage) naming the file and key.
  public static func decode(_ data: Data, file: String) throws -> RunRecord {
    let record = try ManifestCoding.decode(
      RunRecord.self, from: data, file: file, document: "run record",
      supported: LineageSchema.runRecordVersion)
    try record.validate(file: file, key: "")
    return record
  }

  /// Canonical pretty bytes of the full record (with times).
  /// - Throws: `CoreError` if the record cannot be encoded (it always can).
  public func encoded() throws -> Data { try CanonicalJSON.prettyData(for: self) }

  /// Checks the paths of inputs and outputs: canonical, relative, outside `.vouch/`.
  /// - Throws: `LineageError` (integrity) naming `file` and the key (`prefix` + `inputs`).
  func validate(file: String, key prefix: String) throws {
    for (key, paths) in [("inputs", inputs.keys), ("outputs", outputs.keys)] {
      for path in paths.sorted() {
        _ = try WorkspacePath(decoding: path, location: "\(file): key '\(prefix)\(key)'")
      }
    }
  }
}
