import ArgumentParser
import Foundation
import VouchCore
import VouchPipeline

extension VouchCommand {
  /// `vouch verify`.
  struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "Checks the manifests against the store without recomputing anything.",
      discussion: """
        Every digest in the artifact manifests, locks and run records must be in the store and \
        hash right; every claim's value must match its value digest; every lock entry's run key \
        must match its fields and its outputs must agree with their artifact manifests.

        Exit status 0 when everything holds; 12 when something does not (each problem is \
        printed); 64 for a manifest that cannot be read.
        """)

    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let report = try Verifier(workspace: try context.workspace()).verify()
      if output.json {
        try context.printJSON(report)
      } else {
        for problem in report.problems { context.print("problem: \(problem.message)") }
        context.print(
          "verified \(report.artifacts) artifact(s), \(report.locks) lock(s), \(report.runs) "
            + "run record(s), \(report.claims) claim(s), \(report.digests) stored digest(s): "
            + (report.problems.isEmpty ? "all good" : "\(report.problems.count) problem(s)"))
      }
      if !report.problems.isEmpty {
        throw PipelineError(
          .integrity, "\(report.problems.count) problem(s) found; see the list above")
      }
    }
  }
}
