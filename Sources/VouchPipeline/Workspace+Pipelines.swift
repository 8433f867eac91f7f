import Foundation
import VouchCore
import VouchLineage

extension Workspace {
  /// `manifests/`, where pipelines and locks live.
  public static let manifestsFolder = "manifests"
  /// `manifests/runs/`: one full run record per run key (the run-cache, kept in git).
  public static let runsFolder = "manifests/runs"

  /// `manifests/` under the root.
  public var manifestsURL: URL { root.appendingPathComponent(Self.manifestsFolder) }

  /// The names of the pipelines in `manifests/` (`<name>.pipeline.toml`), sorted.
  public func pipelineNames() throws -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: manifestsURL.path)) ?? []
    return names.filter { $0.hasSuffix(PipelineDefinition.fileSuffix) }
      .map { String($0.dropLast(PipelineDefinition.fileSuffix.count)) }.sorted()
  }

  /// Reads and validates `manifests/<name>.pipeline.toml`; `name` may also be given as that
  /// file's path (`manifests/organism.pipeline.toml`), as users copy it from a listing.
  /// - Throws: `PipelineError.usage` when it does not exist; `LineageError` when it is invalid.
  public func pipeline(named given: String) throws -> PipelineDefinition {
    var name = given
    if name.hasSuffix(PipelineDefinition.fileSuffix) {
      name = String(
        (name.split(separator: "/").last ?? "").dropLast(PipelineDefinition.fileSuffix.count))
    }
    let file = "\(Self.manifestsFolder)/\(name)\(PipelineDefinition.fileSuffix)"
    let url = root.appendingPathComponent(file)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      let known = (try? pipelineNames()) ?? []
      throw PipelineError.usage(
        "no pipeline '\(name)': \(file) does not exist"
          + (known.isEmpty
            ? "; write one (see examples/metric-pipeline)"
            : "; pipelines here: \(known.joined(separator: ", "))"))
    }
    return try PipelineDefinition.parse(
      String(decoding: data, as: UTF8.self), name: name, file: file, root: root,
      vocabulary: PipelineCatalog.vocabulary)
  }

  /// The pipelines named (all of them when `names` is empty).
  /// - Throws: `PipelineError.usage` when there is none.
  public func pipelines(_ names: [String] = []) throws -> [PipelineDefinition] {
    let selected = names.isEmpty ? try pipelineNames() : names
    guard !selected.isEmpty else {
      throw PipelineError.usage(
        "no pipeline in \(Self.manifestsFolder)/; write <name>.pipeline.toml there "
          + "(see examples/metric-pipeline)")
    }
    return try selected.map(pipeline(named:))
  }

  /// `manifests/<pipeline>.lock.json`, relative to the root.
  public static func lockPath(for pipeline: String) -> String {
    "\(manifestsFolder)/\(pipeline)\(PipelineLock.fileSuffix)"
  }

  /// The lock of `pipeline`, or `nil` before its first run.
  /// - Throws: `LineageError` when the lock is malformed.
  public func lock(for pipeline: String) throws -> PipelineLock? {
    let path = Self.lockPath(for: pipeline)
    guard let data = FileManager.default.contents(atPath: url(for: path).path) else { return nil }
    return try PipelineLock.decode(data, file: path)
  }

  /// Writes `lock` as canonical pretty JSON, atomically.
  public func write(_ lock: PipelineLock) throws {
    try writeAtomically(lock.encoded(), to: url(for: Self.lockPath(for: lock.pipeline)))
  }

  /// `manifests/runs/<hex of run key>.json`, relative to the root.
  public static func runRecordPath(for key: RunKey) -> String {
    "\(runsFolder)/\(key.digest.hex).json"
  }

  /// The full run record cached for `key`, if any.
  /// - Throws: `LineageError` when the record is malformed.
  public func cachedRun(_ key: RunKey) throws -> RunRecord? {
    let path = Self.runRecordPath(for: key)
    guard let data = FileManager.default.contents(atPath: url(for: path).path) else { return nil }
    return try RunRecord.decode(data, file: path)
  }

  /// Every cached run record under `manifests/runs/`, sorted by start time.
  public func allRunRecords() throws -> [RunRecord] {
    try decodeEach(in: Self.runsFolder, suffix: ".json", RunRecord.decode)
      .sorted { ($0.startedAt ?? "") < ($1.startedAt ?? "") }
  }

  /// Every pipeline lock in `manifests/`, by file name.
  public func allLocks() throws -> [PipelineLock] {
    try decodeEach(in: Self.manifestsFolder, suffix: PipelineLock.fileSuffix, PipelineLock.decode)
  }

  /// Decodes every file of `folder` (relative to the root) whose name ends in `suffix`, in name
  /// order; a missing folder holds nothing.
  private func decodeEach<T>(
    in folder: String, suffix: String, _ decode: (Data, String) throws -> T
  ) throws -> [T] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url(for: folder).path)) ?? []
    return try names.filter { $0.hasSuffix(suffix) }.sorted().compactMap { name in
      let path = "\(folder)/\(name)"
      return try FileManager.default.contents(atPath: url(for: path).path).map {
        try decode($0, path)
      }
    }
  }

  /// Writes `record` (with its times) to the run-cache.
  public func writeRunRecord(_ record: RunRecord) throws {
    try writeAtomically(record.encoded(), to: url(for: Self.runRecordPath(for: record.runKey)))
  }

  /// Writes `data` to `destination` through a temporary file in the same folder and a rename,
  /// creating the folder; manifests, locks, run records and `.gitignore` all go through here.
  func writeAtomically(_ data: Data, to destination: URL) throws {
    try FileManager.default.createDirectory(
      at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
    let temporary = destination.deletingLastPathComponent()
      .appendingPathComponent(".\(destination.lastPathComponent).tmp-\(getpid())")
    try data.write(to: temporary)
    guard rename(temporary.path, destination.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw PipelineError.failure(
        "cannot write \(destination.path): \(reason); check its permissions")
    }
  }
}
