import ArgumentParser
import Foundation
import VouchCore
import VouchPipeline

extension VouchCommand {
  /// `vouch verify`.
  struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "Checks every recorded number and digest against the stored bytes.",
      discussion: """
        Re-derives every claim of every lock and run record from the stored bytes of the output \
        it names (JSON path or metric), and checks that each folder manifest equals its stored \
        listing, each lock entry matches its stage in the pipeline file, its run key and run \
        record file, and its outputs their artifact manifests, and that every digest named \
        anywhere is stored. Nothing is recomputed: `vouch reproduce` reruns the stages. By \
        default only claim sources and folder listings are read; --deep re-hashes every stored \
        byte the manifests name. What it found for each stage's outputs and claims is recorded \
        in .vouch/verdicts/<pipeline>.json for `vouch report`.

        Exit status 0 when everything holds; 12 when stored bytes, manifests or records disagree \
        (each problem is printed); 14 when a lock is out of date with its pipeline file (run \
        `vouch run`); 64 for a pipeline file that cannot be read.
        """)

    @Flag(
      help: "Re-hash every stored byte the manifests name, not only claim sources and listings.")
    var deep = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let report = try Verifier(workspace: workspace).verify(deep: deep)
      // Kept for `vouch report`; a store that cannot be written still gets its problems printed.
      for record in report.verdicts {
        do { try workspace.recordVerdicts(record) } catch let error as any VouchError {
          Diagnostics.warning(error.message)
        }
      }
      if output.json {
        try context.printJSON(report)
      } else {
        for problem in report.problems {
          context.print(
            "\(problem.kind == .integrity ? "problem" : problem.kind.rawValue): \(problem.message)")
        }
        context.print(
          "verified \(report.artifacts) artifact(s), \(report.locks) lock(s) with "
            + "\(report.stages) stage(s), \(report.runs) run record(s), \(report.claims) claim(s) "
            + "re-read from stored outputs, \(report.digests) stored digest(s)"
            + (report.deep ? " re-hashed" : "") + ": "
            + (report.problems.isEmpty ? "all good" : "\(report.problems.count) problem(s)"))
      }
      if let category = report.category {
        throw PipelineError(
          category, "\(report.problems.count) problem(s) found; see the list above")
      }
    }
  }
}
