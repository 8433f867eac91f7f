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
    let names = try names(in: Self.manifestsFolder)
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
    guard let data = try read(file) else {
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
  ///
  /// Every pipeline of the workspace is read, so that an output two pipelines both claim is
  /// refused whichever of them is asked for: their runs would overwrite each other's output and
  /// never agree on its digest.
  /// - Throws: `PipelineError.usage` when there is none, or two pipelines share an output;
  ///   `LineageError` for an invalid pipeline file.
  public func pipelines(_ names: [String] = []) throws -> [PipelineDefinition] {
    let all = try pipelineNames()
    let selected = names.isEmpty ? all : names
    guard !selected.isEmpty else {
      throw PipelineError.usage(
        "no pipeline in \(Self.manifestsFolder)/; write <name>.pipeline.toml there "
          + "(see examples/metric-pipeline)")
    }
    let chosen = try selected.map(pipeline(named:))
    let others = try all.filter { name in !chosen.contains { $0.name == name } }
      .map(pipeline(named:))
    try Self.checkSharedOutputs(chosen + others)
    return chosen
  }

  /// Refuses two pipelines whose outputs overlap (the same path, or one inside the other).
  static func checkSharedOutputs(_ pipelines: [PipelineDefinition]) throws {
    var owners: [(path: WorkspacePath, pipeline: String, stage: String)] = []
    for pipeline in pipelines.sorted(by: { $0.name < $1.name }) {
      for stage in pipeline.stages {
        for output in stage.outputs {
          if let other = owners.first(where: {
            $0.pipeline != pipeline.name && (output.isWithin($0.path) || $0.path.isWithin(output))
          }) {
            throw PipelineError.usage(
              "output '\(output)' of \(pipeline.name):\(stage.name) overlaps output "
                + "'\(other.path)' of \(other.pipeline):\(other.stage); two pipelines cannot "
                + "write one path, so rename one of the outputs")
          }
          owners.append((output, pipeline.name, stage.name))
        }
      }
    }
  }

  /// `manifests/<pipeline>.lock.json`, relative to the root.
  public static func lockPath(for pipeline: String) -> String {
    "\(manifestsFolder)/\(pipeline)\(PipelineLock.fileSuffix)"
  }

  /// The lock of `pipeline`, or `nil` before its first run.
  /// - Throws: `LineageError` when the lock is malformed.
  public func lock(for pipeline: String) throws -> PipelineLock? {
    let path = Self.lockPath(for: pipeline)
    guard let data = try read(path) else { return nil }
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
    guard let data = try read(path) else { return nil }
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
    return try names(in: folder).filter { $0.hasSuffix(suffix) }.sorted().compactMap { name in
      let path = "\(folder)/\(name)"
      return try read(path).map { try decode($0, path) }
    }
  }

  /// The bytes of the workspace file at the canonical relative `path`, or `nil` when it does not
  /// exist; read without following a symlink anywhere on the way.
  /// - Throws: `StoreError` (integrity) for a symlink on the way or at the file.
  func read(_ path: String) throws -> Data? {
    let folders = try AnchoredFolders(anchor: root.path)
    let (opened, name) = try folders.parent(of: path, create: false)
    return try opened?.read(name)
  }

  /// The names in the workspace folder `folder` (empty when it does not exist), reached without
  /// following a symlink.
  /// - Throws: `StoreError` (integrity) for a symlink on the way.
  func names(in folder: String) throws -> [String] {
    try AnchoredFolders(anchor: root.path).folder(folder, create: false)?.names() ?? []
  }

  /// The content digest of the run record file of the lock entry `record`, or `nil` when the
  /// file is missing. The file must hold that entry and, when `listed` is given (the digest the
  /// lock lists for it), match it.
  /// - Throws: `PipelineError` (integrity) when the file disagrees with the lock; `LineageError`
  ///   when it does not decode.
  func recordFileDigest(of record: RunRecord, listed: Digest?) throws -> Digest? {
    let path = Self.runRecordPath(for: record.runKey)
    guard let bytes = try read(path) else { return nil }
    let digest = try RunRecord.decode(bytes, file: path).contentDigest()
    if let listed, digest != listed {
      throw PipelineError.integrity(
        "\(path) does not match the digest the lock lists (\(listed.short)); one of them was "
          + "edited, so restore both from git")
    }
    // Compared canonically: a float parameter reads back from JSON as its exact text.
    guard try digest == record.contentDigest() else {
      throw PipelineError.integrity(
        "\(path) records another run than its lock entry; restore both from git")
    }
    return digest
  }

  /// Writes `record` (with its times) to the run-cache.
  public func writeRunRecord(_ record: RunRecord) throws {
    try writeAtomically(record.encoded(), to: url(for: Self.runRecordPath(for: record.runKey)))
  }

  /// Writes `data` to `destination` (inside the workspace) through a temporary file in the same
  /// folder and a rename, creating the folder; manifests, locks, run records and `.gitignore` all
  /// go through here. Folders are opened from the root without following a symlink, and a
  /// symlink at `destination` itself is replaced rather than written through.
  /// - Throws: `StoreError` (integrity) for a symlinked folder on the way; `PipelineError` when
  ///   the destination is outside the workspace.
  func writeAtomically(_ data: Data, to destination: URL) throws {
    guard let relative = WorkspacePathResolver(root: root).relativeInside(destination.path),
      !relative.isEmpty
    else {
      throw PipelineError.failure("internal: \(destination.path) is outside the workspace")
    }
    let folders = try AnchoredFolders(anchor: root.path)
    let (opened, name) = try folders.parent(of: relative, create: true)
    try opened?.write(data, to: name)
  }
}
