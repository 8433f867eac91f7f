import ArgumentParser
import Foundation
import VouchCore
import VouchPipeline

extension VouchCommand {
  /// `vouch status`.
  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Shows which artifacts in the workspace differ from their manifests.",
      discussion: """
        Files are compared through the stat cache (size, mtime in ns, inode), so only files touched \
        since vouch last saw them are re-hashed. For folders it lists modified, deleted and new \
        files. `vouch add PATH` records a change; `vouch checkout PATH` discards it.

        Then the pipeline stages that are not up to date, with the reason (never ran, a changed \
        command, parameter or claim definition, changed inputs or code): what `vouch run` would \
        run or restore from the run-cache (`vouch run --dry-run` says the same for a selection). \
        --json prints {"artifacts": [...], "stages": [...]}.
        """)

    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let statuses = try StatusScanner(workspace: workspace).scan()
      var stages: [PipelineRunner.StageResult] = []
      var stagesError: String?
      do { stages = try PipelineRunner(workspace: workspace).stageStatus() } catch {
        stagesError = (error as? any VouchError)?.message ?? "\(error)"
      }
      if output.json {
        return try context.printJSON(
          StatusReport(artifacts: statuses, stages: stages, stagesError: stagesError))
      }
      if let stagesError {
        Diagnostics.warning("cannot tell the pipeline stages' state: \(stagesError)")
      }
      let changed = statuses.filter { $0.state != .unchanged }
      for status in changed {
        let label = "\(status.state.rawValue):".padding(toLength: 10, withPad: " ", startingAt: 0)
        context.print("\(label)\(status.path)")
        for change in status.changes {
          let inner = "\(change.change.rawValue):".padding(
            toLength: 10, withPad: " ", startingAt: 0)
          context.print("  \(inner)\(status.path)/\(change.path)")
        }
      }
      if changed.isEmpty {
        context.print("\(statuses.count) artifact(s), all up to date")
      } else {
        context.print(
          "\(changed.count) of \(statuses.count) artifact(s) changed; `vouch add` to record, `vouch checkout` to restore"
        )
      }
      let stale = stages.filter { $0.action != .upToDate }
      for stage in stale {
        let label = stage.action == .wouldRestore ? "cached:" : "stale:"
        context.print(
          "\(label.padding(toLength: 10, withPad: " ", startingAt: 0))\(stage.pipeline):\(stage.stage)"
            + (stage.reason.map { " (\($0))" } ?? ""))
      }
      if !stages.isEmpty {
        context.print(
          stale.isEmpty
            ? "\(stages.count) stage(s), all up to date"
            : "\(stale.count) of \(stages.count) stage(s) not up to date; `vouch run` brings them up to date"
        )
      }
    }

    /// `vouch status --json`.
    struct StatusReport: Encodable {
      var artifacts: [ArtifactStatus]
      var stages: [PipelineRunner.StageResult]
      var stagesError: String?
    }
  }
}
