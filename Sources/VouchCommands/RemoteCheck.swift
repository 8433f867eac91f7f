import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch remote check`.
  struct RemoteCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Re-hashes every object and recipe on a remote and reports what is damaged.",
      discussion: """
        Every object and chunk on the remote is re-hashed against its name; every recipe is \
        decoded and checksummed, each chunk it lists must be on the remote, and the chunks must \
        rebuild the file the recipe names. Each problem names the artifacts of this workspace \
        it breaks, when the manifests record them. Heal a damaged remote with `vouch push \
        --verify-remote` from a clone whose store has the files intact.

        Exit status 0 when the remote is clean, 12 when anything on it is damaged or missing; \
        64 for an unknown remote, or a remote directory that is missing or not a vouch remote; \
        11 when a `vouch remote gc` keeps it locked past VOUCH_LOCK_TIMEOUT.
        """)

    @OptionGroup var remote: RemoteOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let (bar, progress) = context.progress("checking")
      let report: RemoteIntegrityCheck.Report
      do {
        defer { bar?.finish() }
        report = try RemoteIntegrityCheck(workspace: workspace).run(
          remote: remote.name, progress: progress)
      }
      if output.json {
        try context.printJSON(report)
      } else {
        for problem in report.problems {
          let broken =
            problem.artifacts.isEmpty
            ? "" : " — breaks \(problem.artifacts.joined(separator: ", "))"
          context.print(
            "\(problem.issue) \(problem.item) \(problem.digest.short): \(problem.detail)\(broken)")
        }
        context.print(
          "remote '\(report.remote)' (\(report.location)): \(report.objectsChecked) object(s)"
            + " and \(report.recipesChecked) recipe(s) checked, \(report.bytesChecked) hashed; "
            + (report.clean ? "no problems" : "\(report.problems.count) problem(s)"))
      }
      if let failure = report.failure { throw failure }
    }
  }
}
