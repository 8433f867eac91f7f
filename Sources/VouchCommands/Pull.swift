import ArgumentParser
import Foundation
import VouchPipeline
import VouchStore

extension VouchCommand {
  /// `vouch pull`.
  struct Pull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "pull",
      abstract: "Fetches artifacts from a remote and checks them out into the workspace.",
      discussion: """
        `vouch fetch` followed by `vouch checkout` of the same PATHs (every artifact when none \
        is given). Nothing is checked out when a fetched object is damaged. Files with local \
        changes that are not in the store are never replaced without --force.

        Exit status 12 when a remote object is damaged or missing; 1 for unstored local \
        changes; 64 for an unknown remote or PATH.
        """)

    @Argument(help: "Artifacts to pull (every artifact when omitted).")
    var paths: [String] = []

    @OptionGroup var remote: RemoteOptions

    @Option(help: "How to place bytes: auto, reflink, hardlink or copy (see `vouch checkout`).")
    var mode: MaterializeMode = .auto

    @Flag(help: "Replace files even when their local changes are not stored.")
    var force = false

    @OptionGroup var output: OutputOptions

    /// What `vouch pull --json` prints.
    struct Summary: Encodable {
      var fetch: RemoteTransfer.Report
      var checkout: CheckoutOperation.Summary
    }

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      var report = try context.transfer(.fetch, remote: remote.name, paths: paths, in: workspace)
      if report.failure != nil { return try context.finish(report, json: output.json) }
      context.warnAboutMissing(report)
      let summary: CheckoutOperation.Summary
      do {
        summary = try checkout(workspace, context)
      } catch let error as StoreError where error.quarantined != nil {
        // A damaged local copy was moved aside while checking out: the store now lacks it, so
        // fetching again heals it from the remote (once; a second failure is reported).
        Diagnostics.warning("\(error.message); fetching it again from the remote")
        report = try context.transfer(.fetch, remote: remote.name, paths: paths, in: workspace)
        if report.failure != nil { return try context.finish(report, json: output.json) }
        summary = try checkout(workspace, context)
      }
      if output.json { return try context.printJSON(Summary(fetch: report, checkout: summary)) }
      for line in report.lines { context.print(line) }
      for path in summary.restoredPaths { context.print("restored  \(path)") }
      context.print(
        "\(summary.restored) file(s) restored (\(summary.bytes)),"
          + " \(summary.unchanged) already up to date")
    }

    private func checkout(_ workspace: Workspace, _ context: CommandContext) throws
      -> CheckoutOperation.Summary
    {
      let (bar, progress) = context.progress("checkout")
      defer { bar?.finish() }
      return try CheckoutOperation(workspace: workspace).run(
        paths, currentDirectory: context.currentDirectory, mode: mode, force: force,
        progress: progress)
    }
  }
}
