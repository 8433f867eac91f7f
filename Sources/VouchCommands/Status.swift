import ArgumentParser
import Foundation
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
        """)

    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let statuses = try StatusScanner(workspace: workspace).scan()
      if output.json { return try context.printJSON(statuses) }
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
    }
  }
}
