import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch remote list`.
  struct RemoteList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "Lists the remotes: name, directory, and which one is the default.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let registry = try workspace.remoteRegistry()
      let rows = registry.remotes.sorted { $0.key < $1.key }.map { name, path in
        RemoteRow(
          name: name, path: path, directory: workspace.remoteDirectory(for: path).path,
          isDefault: registry.defaultName == name)
      }
      if output.json { return try context.printJSON(rows) }
      if rows.isEmpty {
        return context.print("no remotes; `vouch remote add NAME DIRECTORY` adds one")
      }
      let width = rows.map(\.name.count).max() ?? 0
      for row in rows {
        context.print(
          row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row.path
            + (row.isDefault ? "  (default)" : ""))
      }
    }
  }
}

/// One remote in `vouch remote list --json`.
struct RemoteRow: Encodable {
  /// The remote's name.
  var name: String
  /// The directory as recorded in manifests/remotes.toml.
  var path: String
  /// The directory, absolute.
  var directory: String
  /// Whether push, fetch and pull use it without --remote.
  var isDefault: Bool
}
