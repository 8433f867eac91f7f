import ArgumentParser
import Foundation
import VouchCore
import VouchLineage
import VouchPipeline

extension VouchCommand {
  /// `vouch log`.
  struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "log",
      abstract: "Shows how an artifact or a claim changed across commits.",
      discussion: """
        For a claim (NAME or PIPELINE:NAME): every commit whose lock changed its value, newest \
        first, with the value. For an artifact path: every commit that recorded new content for \
        it, with the digest. Without an argument: the commits that changed manifests/.

        Exit status 64 when the argument names no claim or artifact; 10 outside a workspace.
        """)

    @Argument(help: "An artifact path or a claim name; all manifest commits when omitted.")
    var target: String?

    @Option(help: "Show at most this many entries.")
    var limit = 100

    @OptionGroup var output: OutputOptions

    /// One entry of the history.
    struct Entry: Encodable {
      var commit: String
      var date: String
      var summary: String
      var value: String?
    }

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      guard let repository = try workspace.manifestRepository() else {
        throw PipelineError.usage("vouch log needs a git repository; this workspace has none")
      }
      let entries = try history(repository, workspace, context)
      if output.json { return try context.printJSON(entries) }
      if entries.isEmpty { context.print("no recorded history") }
      for entry in entries {
        let value = entry.value.map { "  \($0)" } ?? ""
        context.print("\(entry.commit.prefix(10))  \(entry.date)\(value)  \(entry.summary)")
      }
    }

    private func history(
      _ repository: ManifestRepository, _ workspace: Workspace, _ context: CommandContext
    ) throws -> [Entry] {
      func entry(_ version: FileVersion, _ value: String?) -> Entry {
        let formatter = ISO8601DateFormatter()
        return Entry(
          commit: version.commit.id.hex, date: formatter.string(from: version.commit.time),
          summary: version.commit.summary, value: value)
      }
      guard let target else {
        return try repository.history(of: Workspace.manifestsFolder, limit: limit).map {
          entry($0, nil)
        }
      }
      if let (pipeline, claim) = try claimTarget(target, workspace) {
        let path = Workspace.lockPath(for: pipeline)
        var entries: [Entry] = []
        var previous: String?? = .none
        // Oldest first, to keep only the commits where the value changed; then newest first.
        for version in try repository.history(of: path, limit: 10_000).reversed() {
          let value = version.contents.flatMap { try? PipelineLock.decode($0, file: path) }
            .flatMap { lock in
              lock.stages.values.flatMap(\.claims).first { $0.name == claim }
            }.map { $0.unit.isEmpty ? $0.value.text : "\($0.value) \($0.unit)" }
          if case .some(let last) = previous, last == value { continue }
          previous = .some(value)
          entries.append(entry(version, value ?? "(no value)"))
        }
        return Array(entries.reversed().prefix(limit))
      }
      let relative = try WorkspacePathResolver(root: workspace.root).relativePath(
        of: target, currentDirectory: context.currentDirectory)
      let manifest = "\(Workspace.artifactManifestFolder)/\(relative).json"
      let versions = try repository.history(of: manifest, limit: limit)
      guard !versions.isEmpty else {
        throw PipelineError.usage(
          "'\(target)' is neither a recorded claim nor an artifact with committed history")
      }
      return versions.map { version in
        let digest = version.contents.flatMap { try? ArtifactManifest.decode($0) }?.digest
        return entry(version, digest.map { String($0.hex.prefix(12)) } ?? "(deleted)")
      }
    }

    /// `(pipeline, claim)` when `target` names a claim in a lock of the working tree.
    private func claimTarget(_ target: String, _ workspace: Workspace) throws -> (String, String)? {
      let parts = target.split(separator: ":", maxSplits: 1).map(String.init)
      for pipeline in try workspace.pipelineNames() {
        if parts.count == 2, parts[0] != pipeline { continue }
        let name = parts.count == 2 ? parts[1] : target
        let lock = try workspace.lock(for: pipeline)
        if lock?.stages.values.contains(where: { $0.claims.contains { $0.name == name } }) == true {
          return (pipeline, name)
        }
      }
      return nil
    }
  }
}
