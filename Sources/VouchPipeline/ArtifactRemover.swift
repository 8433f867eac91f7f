import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch rm`: stops tracking artifacts. Deletes each one's manifest under `manifests/artifacts/`
/// and its line in the root `.gitignore`; the workspace file stays unless asked to go too.
///
/// Every argument is checked before anything changes, so a bad one leaves everything as it was.
/// Stored objects are not touched: they stay in the store until `vouch gc` finds nothing naming
/// them, so an untracked artifact comes back by restoring its manifest from git and running
/// `vouch checkout`. The outputs of pipeline stages are refused: `vouch run` records them again.
public struct ArtifactRemover: Sendable {
  /// What happened to one artifact.
  public struct Outcome: Sendable, Codable, Hashable {
    /// The artifact's path.
    public var path: String
    /// Its recorded kind.
    public var kind: ArtifactKind
    /// Its recorded digest (still in the store until `vouch gc`).
    public var digest: Digest
    /// Its recorded size.
    public var size: ByteCount
    /// Whether the workspace file or folder was deleted too (`--delete`).
    public var deleted: Bool
  }

  /// The workspace to untrack artifacts in.
  public let workspace: Workspace

  /// Creates a remover for `workspace`.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Untracks each artifact of `arguments` (typed in `currentDirectory`).
  /// - Parameters:
  ///   - arguments: artifact paths as the user typed them.
  ///   - delete: also delete the workspace files, which must match their manifests and be stored
  ///     (so nothing is lost that `vouch checkout` could not bring back).
  ///   - currentDirectory: where relative arguments start.
  /// - Returns: one outcome per distinct artifact, in order.
  /// - Throws: `PipelineError.usage` for a path that is not an artifact, a pipeline stage's
  ///   output, or (with `delete`) a file with changes the store does not hold; nothing is changed
  ///   then. `PipelineError` (locked) when the workspace stays locked.
  public func remove(_ arguments: [String], delete: Bool, currentDirectory: URL) throws
    -> [Outcome]
  {
    guard !arguments.isEmpty else {
      throw PipelineError.usage(
        "name at least one artifact to untrack, e.g. `vouch rm data/train.csv`")
    }
    return try WorkspaceLock.withLock(at: workspace.lockURL) {
      let manifests = try plan(arguments, currentDirectory: currentDirectory)
      if delete { try checkDeletable(manifests) }
      var outcomes: [Outcome] = []
      for manifest in manifests {
        try untrack(manifest)
        if delete { try removeFromWorkspace(manifest.path) }
        outcomes.append(
          Outcome(
            path: manifest.path, kind: manifest.kind, digest: manifest.digest,
            size: manifest.size, deleted: delete))
      }
      try workspace.unignoreInGitLocked(manifests.map { Workspace.gitignorePattern(for: $0.path) })
      return outcomes
    }
  }

  /// The manifests the arguments name, each checked to be an artifact that no stage writes.
  /// - Parameters:
  ///   - arguments: paths as the user typed them (repeats count once).
  ///   - currentDirectory: where relative arguments start.
  /// - Returns: the manifests, in argument order.
  /// - Throws: `PipelineError.usage` for a path outside the workspace, one that is not an
  ///   artifact, or one a pipeline stage writes.
  func plan(_ arguments: [String], currentDirectory: URL) throws -> [ArtifactManifest] {
    let resolver = WorkspacePathResolver(root: workspace.root)
    let all = try workspace.allManifests()
    let outputs = stageOutputs()
    var manifests: [ArtifactManifest] = []
    var seen: Set<String> = []
    for argument in arguments {
      let path = try resolver.relativePath(of: argument, currentDirectory: currentDirectory)
      guard seen.insert(path).inserted else { continue }
      guard let manifest = all.first(where: { $0.path == path }) else {
        throw notAnArtifact(argument, path: path, among: all.map(\.path))
      }
      if let producer = outputs.first(where: { Self.overlaps(path, $0.path) }) {
        throw PipelineError.usage(
          "'\(argument)' is an output of stage '\(producer.stage)' of pipeline '\(producer.pipeline)', which `vouch run` records again; remove it from the stage's outputs in \(Workspace.manifestsFolder)/\(producer.pipeline)\(PipelineDefinition.fileSuffix) instead"
        )
      }
      manifests.append(manifest)
    }
    return manifests
  }

  /// The usage error for a path with no manifest, pointing at what is there instead.
  private func notAnArtifact(_ argument: String, path: String, among paths: [String])
    -> PipelineError
  {
    if let folder = paths.first(where: { path.hasPrefix($0 + "/") }) {
      return PipelineError.usage(
        "'\(argument)' is a file inside the folder artifact '\(folder)'; untrack '\(folder)' as a whole, or delete the file and `vouch add \(folder)` again"
      )
    }
    let inside = paths.filter { $0.hasPrefix(path + "/") }
    if !inside.isEmpty {
      let shown = inside.prefix(3).joined(separator: ", ") + (inside.count > 3 ? ", …" : "")
      return PipelineError.usage(
        "'\(argument)' is not an artifact but holds \(inside.count) (\(shown)); name them one by one"
      )
    }
    return PipelineError.usage(
      "'\(argument)' is not an artifact (there is no \(Workspace.artifactManifestFolder)/\(path).json); `vouch ls` lists the artifacts"
    )
  }

  /// Every output named by a pipeline file or a lock that can be read. (A pipeline that does not
  /// parse is skipped here: `vouch run` reports it.)
  private func stageOutputs() -> [(pipeline: String, stage: String, path: String)] {
    var outputs: [(pipeline: String, stage: String, path: String)] = []
    for name in (try? workspace.pipelineNames()) ?? [] {
      if let definition = try? workspace.pipeline(named: name) {
        for stage in definition.stages {
          outputs += stage.outputs.map { (name, stage.name, $0.rawValue) }
        }
      }
      if let lock = try? workspace.lock(for: name) {
        for (stage, record) in lock.stages {
          outputs += record.outputs.keys.map { (name, stage, $0) }
        }
      }
    }
    return outputs
  }

  /// Whether `a` and `b` are the same path or one holds the other.
  static func overlaps(_ a: String, _ b: String) -> Bool {
    a == b || a.hasPrefix(b + "/") || b.hasPrefix(a + "/")
  }
}
