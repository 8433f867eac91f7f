import ArgumentParser
import Foundation
import VouchCore
import VouchPipeline

extension VouchCommand {
  /// `vouch report`.
  struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract: "Writes a static HTML report of pipelines: figures, claims, lineage and verdicts.",
      discussion: """
        Writes a self-contained site to DIR (inline style sheet, no script, no network; it \
        opens from file://). Its overview, index.html, names the commit it describes and gives, \
        per pipeline, the verdict counts of the last `vouch reproduce` or `vouch verify` (kept \
        in .vouch/verdicts/), or says that it was never checked. Each stage has a page with its \
        figures, its claims (name, value, unit, tolerance, verdict, the digest of the output the \
        value was read from) and its lineage (a graph of inputs → stage → outputs, the run key, \
        input digests, parameters, seed, code commit and engine fingerprint). A claim that \
        mismatched, or was not checked since its stage last ran, says so in words and colour.

        Figures are the SVG files of the stage outputs whose artifact kind is figure or whose \
        folder holds .svg files; each is copied from the store by its recorded digest, never \
        from the working tree, and links to the CSV beside it and to its output's manifest.

        The site is written to a temporary folder beside DIR and renamed into place, so an \
        error leaves nothing half-written. DIR defaults to report/ at the workspace root (added \
        to .gitignore); an existing DIR must be empty or an earlier report.

        Exit status 0 when the report is written; 12 when a figure's bytes are not in the store \
        (`vouch fetch` them); 64 for an unknown pipeline, a pipeline that has never run, or a \
        DIR that is a file or a folder holding something else.
        """)

    @Argument(
      help: ArgumentHelp(
        "The pipelines to report (default: every pipeline in manifests/).", valueName: "pipeline"))
    var pipelines: [String] = []

    @Option(
      name: .customLong("out"),
      help: ArgumentHelp("The folder to write the site to (default: report/).", valueName: "dir"),
      completion: .directory)
    var out: String?

    @Flag(help: "Open the overview with xdg-open when it is available (else print its path).")
    var open = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let destination = out.map { URL(fileURLWithPath: $0, relativeTo: context.currentDirectory) }
      let summary = try ReportWriter(workspace: try context.workspace()).write(
        pipelines: pipelines, to: destination?.absoluteURL)
      if output.json {
        try context.printJSON(summary)
      } else {
        let claims = summary.claimVerdicts
        context.print(
          "wrote \(summary.index): \(summary.pipelines) pipeline(s), \(summary.stages) stage "
            + "page(s), \(summary.figures) figure(s), \(summary.claims) claim(s) "
            + "(\(claims.identical) identical, \(claims.equivalent) equivalent, "
            + "\(claims.mismatch) mismatch, \(claims.notChecked) not checked)")
      }
      if open { Self.open(summary.index, context: context) }
    }

    /// Runs `xdg-open` on `path` when it is on PATH; otherwise says where the report is.
    static func open(_ path: String, context: CommandContext) {
      let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
      guard
        let opener = directories.map({ "\($0)/xdg-open" }).first(where: {
          FileManager.default.isExecutableFile(atPath: $0)
        })
      else {
        Diagnostics.warning("xdg-open is not available; open \(path) in a browser")
        return
      }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: opener)
      process.arguments = [path]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      do { try process.run() } catch {
        Diagnostics.warning("xdg-open failed (\(error)); open \(path) in a browser")
      }
    }
  }
}
