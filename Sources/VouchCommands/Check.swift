import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch check`.
  struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Re-hashes every stored object and recipe and reports what is corrupt or missing.",
      discussion: """
        Every object and chunk is re-hashed against its name, every recipe is decoded and its file \
        rebuilt and hashed, every index row must name a file, and every digest the manifests name \
        must be stored. Each problem lists the artifacts it breaks. With --repair-index the SQLite \
        index is first rebuilt from the objects on disk (after a crash or a damaged index.sqlite).

        Exit status 0 when the store is clean, 12 when anything is corrupt or missing.
        """)

    @Flag(
      name: .customLong("repair-index"),
      help: "Rebuild .vouch/index.sqlite from the stored objects first.")
    var repairIndex = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let bar = ProgressBar.make("checking")
      let report = try IntegrityCheck(workspace: workspace).run(repairIndex: repairIndex) { done in
        bar?.update(done: done, total: max(done, 1))
      }
      bar?.finish()
      if output.json {
        try context.printJSON(report)
      } else {
        if report.indexRepaired { context.print("index rebuilt from the objects on disk") }
        for problem in report.problems {
          let broken =
            problem.files.isEmpty ? "" : " — breaks \(problem.files.joined(separator: ", "))"
          context.print(
            "\(problem.issue) \(problem.item) \(problem.digest.short): \(problem.detail)\(broken)")
        }
        if let indexError = report.indexError { context.print("index: \(indexError)") }
        let summary =
          "\(report.objectsChecked) object(s) and \(report.recipesChecked) recipe(s) checked, \(report.bytesChecked) hashed"
        if report.clean {
          context.print("\(summary); no problems")
        } else {
          // An unreadable index is a problem too, although it breaks no artifact by itself.
          let count = report.problems.count + (report.indexError == nil ? 0 : 1)
          let broken =
            report.brokenArtifacts.isEmpty
            ? "no artifact broken"
            : "\(report.brokenArtifacts.count) artifact(s) broken: "
              + report.brokenArtifacts.joined(separator: ", ")
          context.print("\(summary); \(count) problem(s), \(broken)")
        }
      }
      if !report.clean { throw ExitCode(ExitStatus.integrity) }
    }
  }
}
