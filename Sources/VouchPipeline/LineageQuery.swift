import Foundation
import VouchCore
import VouchLineage

/// Answers `vouch lineage`: builds the lineage graph from the workspace's run records and locks
/// and finds the artifact a user names.
public struct LineageQuery {
  /// The graph: cached run records first (oldest to newest), then every lock's current runs, so
  /// the lock wins when several runs produced the same bytes.
  public let graph: LineageGraph
  /// The workspace.
  public let workspace: Workspace

  /// Reads every run record and lock of `workspace`.
  /// - Throws: `LineageError` for a malformed record or lock.
  public init(workspace: Workspace) throws {
    self.workspace = workspace
    var records = try workspace.allRunRecords()
    for name in try workspace.pipelineNames() {
      if let lock = try workspace.lock(for: name) {
        records += lock.stages.keys.sorted().compactMap { lock.stages[$0] }
      }
    }
    graph = LineageGraph(records: records)
  }

  /// The artifact `argument` names: a digest (`sha256:…`, or a hex prefix of at least 8
  /// characters of a recorded digest) or a path (relative to `currentDirectory`).
  /// - Throws: `PipelineError.usage` when nothing recorded matches.
  public func artifact(_ argument: String, currentDirectory: URL) throws -> ArtifactVersion {
    let known = knownArtifacts()
    let hex = argument.hasPrefix("sha256:") ? String(argument.dropFirst(7)) : argument
    if hex.count >= 8, hex.allSatisfy(\.isHexDigit) {
      let matches = Set(known.filter { $0.digest.hex.hasPrefix(hex.lowercased()) }.map(\.digest))
      if matches.count == 1, let digest = matches.first,
        let match = known.last(where: { $0.digest == digest })
      {
        return match
      }
      if matches.count > 1 {
        throw PipelineError.usage("digest prefix '\(argument)' is ambiguous; give more characters")
      }
    }
    let path = try WorkspacePathResolver(root: workspace.root).relativePath(
      of: argument, currentDirectory: currentDirectory)
    if let latest = graph.latest(path: path) { return latest }
    if let manifest = try workspace.manifest(for: path) {
      return ArtifactVersion(path: path, digest: manifest.digest)
    }
    throw PipelineError.usage(
      "no run or artifact records '\(argument)'; name a stage output, an added artifact or a digest"
    )
  }

  /// Every artifact version a record or manifest names.
  private func knownArtifacts() -> [ArtifactVersion] {
    var result: [ArtifactVersion] = []
    for record in graph.records {
      for (path, digest) in record.inputs.sorted(by: { $0.key < $1.key })
        + record.outputs.sorted(
          by: { $0.key < $1.key })
      {
        result.append(ArtifactVersion(path: path, digest: digest))
      }
    }
    for manifest in (try? workspace.allManifests()) ?? [] {
      result.append(ArtifactVersion(path: manifest.path, digest: manifest.digest))
    }
    return result
  }
}
