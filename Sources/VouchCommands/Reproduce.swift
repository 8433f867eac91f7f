import ArgumentParser
import Foundation
import VouchCore
import VouchPipeline

extension VouchCommand {
  /// `vouch reproduce`.
  struct Reproduce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "reproduce",
      abstract:
        "Reruns pipeline stages from their recorded inputs and judges every output and claim.",
      discussion: """
        Ignores the run-cache: each selected stage runs again in a sandbox under .vouch/tmp that \
        holds only its recorded inputs (restored from the store by digest). Verdicts: identical \
        (digests or values match bit for bit), equivalent (an output differs but every claim that \
        depends on it is within its tolerance; the report says whether the engine fingerprint \
        changed), mismatch (with recorded and reproduced values, difference and tolerance). A \
        folder output that differs lists its files that differ from the recorded folder when that \
        is in the store (`vouch fetch` brings shipped outputs). The workspace, the lock and git \
        are left as they were; the verdicts are recorded in .vouch/verdicts/<pipeline>.json for \
        `vouch report`.

        Each stage runs as the pipeline file defines it now, with its claim definitions and \
        tolerances; a stage whose command, parameters, seed or claims differ from its recorded \
        run is named in a note, and --as-recorded reruns what the run recorded instead. A claim \
        read from an output that reproduced bit for bit must equal its recorded value bit for \
        bit, whatever its tolerance.

        Stages that do not read each other's outputs run at the same time, up to --jobs of them \
        (default: the number of cores); each built-in stage uses VOUCH_THREADS threads (default \
        2). Outputs and verdicts are the same bits for any --jobs and thread count.

        Exit status 0 when nothing mismatched; 13 when something did; 14 when nothing mismatched \
        but a stage's definition differs from its recorded run (rerun with --as-recorded, or \
        `vouch run` to record the new definition); 12 when a recorded input is neither in the \
        store nor in the workspace; 1 when a command fails.
        """)

    @Argument(help: "The pipeline (needed only when manifests/ holds several).")
    var pipeline: String?

    @Option(help: "Reproduce only this stage, from its recorded inputs.")
    var stage: String?

    @Option(help: "Reproduce this stage and every stage downstream of it.")
    var from: String?

    @Flag(help: "Rerun each stage as its run recorded it, not as the pipeline file defines it now.")
    var asRecorded = false

    @Option(help: "How many independent stages may run at once (default: the number of cores).")
    var jobs: Int?

    @OptionGroup var output: OutputOptions

    func validate() throws {
      if stage != nil, from != nil { throw ValidationError("give --stage or --from, not both") }
      if let jobs, !(1...256).contains(jobs) {
        throw ValidationError("--jobs must be between 1 and 256, not \(jobs)")
      }
    }

    func run() async throws {
      let context = CommandContext()
      var options = Reproducer.Options()
      options.pipeline = pipeline
      options.stage = stage
      options.from = from
      options.asRecorded = asRecorded
      options.jobs = jobs ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
      let workspace = try context.workspace()
      let report = try Reproducer(workspace: workspace).reproduce(options)
      // Kept for `vouch report`; a store that cannot be written still gets its verdicts printed.
      do { try workspace.recordVerdicts(of: report) } catch let error as any VouchError {
        Diagnostics.warning(error.message)
      }
      if output.json {
        try context.printJSON(report)
      } else {
        for line in Self.table(report) { context.print(line) }
      }
      let bad =
        report.outputs.filter { $0.verdict == .mismatch }.count
        + report.claims.filter { $0.verdict == .mismatch }.count
      if bad > 0 {
        throw PipelineError(
          .mismatch,
          "\(bad) output(s)/claim(s) of pipeline '\(report.pipeline)' did not reproduce; "
            + "see the table above")
      }
      if report.hasDefinitionChanges {
        throw PipelineError(
          .outOfDate,
          "pipeline '\(report.pipeline)' no longer defines what its lock recorded (see the notes "
            + "above); `vouch reproduce --as-recorded` checks the recorded runs, `vouch run` "
            + "records the new definition")
      }
    }

    /// The human summary: one line per output and claim, then the engine notes.
    static func table(_ report: Reproducer.Report) -> [String] {
      // The item column widens to the longest item, so long claim names are never cut.
      let items =
        report.outputs.map { "\($0.stage) / \($0.path)" }
        + report.claims.map { "\($0.stage) / claim \($0.claim)" }
      let width = max(37, items.map(\.count).max() ?? 0)
      var lines = [
        "VERDICT     " + "STAGE / ITEM".padding(toLength: width, withPad: " ", startingAt: 0)
          + " DETAIL"
      ]
      func row(_ verdict: Reproducer.Verdict, _ item: String, _ detail: String) -> String {
        verdict.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) + " "
          + item.padding(toLength: width, withPad: " ", startingAt: 0) + " " + detail
      }
      for output in report.outputs {
        let detail =
          output.verdict == .identical
          ? output.recorded.short
          : "recorded \(output.recorded.short), reproduced \(output.reproduced.short)"
            + (output.differingFiles.map { "; differing files: " + $0.joined(separator: ", ") }
              ?? "")
        lines.append(row(output.verdict, "\(output.stage) / \(output.path)", detail))
      }
      for claim in report.claims {
        let unit = claim.unit.isEmpty ? "" : " \(claim.unit)"
        var detail = "\(claim.reproduced)\(unit)"
        if claim.verdict != .identical {
          detail =
            "reproduced \(claim.reproduced)\(unit), recorded \(claim.recorded)\(unit), "
            + "difference \(claim.difference), tolerance \(claim.tolerance)"
            + (claim.direction.map { " (\($0.rawValue))" } ?? "")
        }
        lines.append(row(claim.verdict, "\(claim.stage) / claim \(claim.claim)", detail))
      }
      for note in report.stages where !note.changedCode.isEmpty {
        lines.append(
          "note: stage \(note.stage) ran with changed code: "
            + note.changedCode.joined(separator: ", "))
      }
      for note in report.stages where !note.definitionChanges.isEmpty {
        lines.append(
          "note: stage \(note.stage) "
            + (note.asRecorded
              ? "ran as recorded; the pipeline file now differs: "
              : "ran as the pipeline file defines it, which differs from the recorded run: ")
            + note.definitionChanges.joined(separator: "; "))
      }
      for note in report.stages where note.engineChanged {
        lines.append(
          "note: stage \(note.stage) ran on a different engine: recorded "
            + "\(note.recordedEngine ?? "?"), now \(note.currentEngine ?? "?")")
      }
      let all = report.outputs.map(\.verdict) + report.claims.map(\.verdict)
      let counts = [Reproducer.Verdict.identical, .equivalent, .mismatch].map { verdict in
        "\(all.filter { $0 == verdict }.count) \(verdict.rawValue)"
      }
      let times = report.stages.map { "\($0.stage) \(String(format: "%.1f", $0.seconds)) s" }
      if !times.isEmpty {
        let total = report.stages.reduce(0) { $0 + $1.seconds }
        lines.append(
          "time: " + times.joined(separator: ", ") + "; total \(String(format: "%.1f", total)) s"
            + " of stages in \(String(format: "%.1f", report.seconds)) s")
      }
      lines.append("\(report.pipeline): " + counts.joined(separator: ", "))
      return lines
    }
  }
}
