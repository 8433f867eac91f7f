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
  /// Stage name → ``RunRecord/contentDigest`` of that run's record file
  /// (`manifests/runs/<key>.json`: every field, claims included, but the start and wall time), so
  /// an edit of the record shows while two clones that run the same pipeline still write
  /// byte-identical locks; empty in version-1 locks.
  public var records: [String: Digest]

  /// An empty lock for `pipeline`.
  public init(pipeline: String) {
    schemaVersion = LineageSchema.lockVersion
    self.pipeline = pipeline
    stages = [:]
    records = [:]
  }

  private enum CodingKeys: String, CodingKey { case schemaVersion, pipeline, stages, records }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
    pipeline = try container.decode(String.self, forKey: .pipeline)
    stages = try container.decode([String: RunRecord].self, forKey: .stages)
    records = try container.decodeIfPresent([String: Digest].self, forKey: .records) ?? [:]
  }

  /// Whether this lock was written before run records were covered by digests (version 1).
  public var predatesRecordDigests: Bool { schemaVersion < 2 }

  /// The suffix of lock files under `manifests/`.
  public static let fileSuffix = ".lock.json"

  /// Canonical pretty bytes, as written to disk.
  /// - Throws: `CoreError` if a record cannot be encoded (it always can).
  public func encoded() throws -> Data {
    var copy = self
    copy.schemaVersion = LineageSchema.lockVersion
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
      supported: LineageSchema.lockVersion, alsoReads: [1])
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
