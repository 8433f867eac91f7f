import Foundation
import VouchLineage

/// Which stages of which pipelines a command works on, in dependency order.
struct RunPlan {
  /// Each pipeline with its selected stages, in execution order.
  var selection: [(PipelineDefinition, [StageDefinition])]

  /// Selects `stageNames` (with their dependencies; `pipeline:stage` or a name unique among the
  /// pipelines) or, when empty, every stage of `pipeline` or of every pipeline.
  /// - Throws: `LineageError`/`PipelineError` for unknown names, invalid files and cycles.
  init(workspace: Workspace, stages stageNames: [String], pipeline: String?) throws {
    let pipelines = try workspace.pipelines(pipeline.map { [$0] } ?? [])
    for definition in pipelines { _ = try definition.executionOrder() }
    guard !stageNames.isEmpty else {
      selection = try pipelines.map { ($0, try $0.executionOrder()) }
      return
    }
    var wanted: [String: [String]] = [:]
    for name in stageNames {
      let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
      if parts.count == 2 {
        guard pipelines.contains(where: { $0.name == parts[0] }) else {
          throw PipelineError.usage("no pipeline '\(parts[0])' (from '\(name)')")
        }
        wanted[parts[0], default: []].append(parts[1])
        continue
      }
      let owners = pipelines.filter { $0.stage(named: name) != nil }
      guard let owner = owners.first else {
        let known = pipelines.flatMap { p in p.stages.map { "\(p.name):\($0.name)" } }
        throw PipelineError.usage(
          "no stage '\(name)'; stages here: \(known.joined(separator: ", "))")
      }
      guard owners.count == 1 else {
        throw PipelineError.usage(
          "stage '\(name)' exists in pipelines \(owners.map(\.name).joined(separator: ", ")); "
            + "write PIPELINE:\(name)")
      }
      wanted[owner.name, default: []].append(name)
    }
    selection = try pipelines.compactMap { definition in
      guard let names = wanted[definition.name] else { return nil }
      return (definition, try definition.stagesNeeded(for: names))
    }
  }

  /// Paths the code state must not count as code changes: every pipeline output and every
  /// tracked artifact (their bytes are data, not code, and live in the store).
  func untrackedPaths(_ workspace: Workspace) throws -> [String] {
    var paths = selection.flatMap { $0.0.stages.flatMap { $0.outputs.map(\.rawValue) } }
    paths += try workspace.allManifests().map(\.path)
    return paths
  }

  /// ISO 8601 in UTC with milliseconds.
  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }
}

extension Workspace {
  /// The git repository holding the workspace, or `nil` for a `--no-git` workspace.
  /// - Throws: `LineageError` for a bare repository.
  public func manifestRepository() throws -> ManifestRepository? {
    guard Workspace.gitRoot(containing: root) != nil else { return nil }
    return try ManifestRepository(discoveringFrom: root)
  }
}
