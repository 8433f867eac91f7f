import ArgumentParser
import Foundation
import VouchPipeline

extension VouchCommand {
  /// `vouch run`.
  struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "run",
      abstract: "Runs out-of-date pipeline stages and records their runs, outputs and claims.",
      discussion: """
        Reads manifests/<name>.pipeline.toml and runs the selected stages (all by default, with \
        the stages they depend on) in dependency order. A stage is up to date when its run key \
        (stage, command, input digests, parameters, seed, code commit and engine) and its output \
        digests match manifests/<name>.lock.json. A run key already in the run-cache \
        (manifests/runs/) is restored from the store instead of recomputed. Outputs are stored \
        and recorded as artifacts; claims are read from them. Then manifests/ is committed, and \
        nothing else: your own staged changes stay staged.

        A command runs with /bin/sh -c at the workspace root and sees VOUCH_STAGE, VOUCH_SEED, \
        VOUCH_PARAMS and VOUCH_PARAM_<NAME>. A stage with `kind` instead runs a built-in engine \
        operation (exact profile, threads from VOUCH_THREADS): organism-data, organism-train, \
        organism-evaluate, adapter-train, adapter-evaluate, adapter-generate, adapter-sweep, \
        adapter-features, attribute, hesitation-study (README: "The model organism pipeline"), \
        and figure (a deterministic SVG and its data as CSV from numbers in input JSON, or a \
        graphviz graph; README: "The model organism pipeline").

        A stage is also out of date when its claim definitions (path, unit, tolerance, \
        direction) changed; claims are always read from the outputs, also when restored from \
        the run-cache. Only one `vouch run` works in a workspace at a time; another waits for \
        it (VOUCH_LOCK_TIMEOUT seconds, then exit 11). --dry-run prints what would happen to each \
        stage and why, and changes nothing.

        Exit status 1 when a command fails (its exit status and last stderr lines are shown; \
        no lock changes); 11 when another run holds the workspace too long; 12 when a run \
        record, run-cache entry or stored object is damaged; 64 for an invalid pipeline, unsafe \
        path, cycle or two pipelines sharing an output; 10 outside a workspace.
        """)

    @Argument(help: "Stages to run (NAME or PIPELINE:NAME); all stages when omitted.")
    var stages: [String] = []

    @Option(help: "Only this pipeline (the file name without .pipeline.toml).")
    var pipeline: String?

    @Flag(help: "Recompute every selected stage, even up-to-date or cached ones.")
    var force = false

    @Flag(help: "Say what would run, be restored or stay, and why, without running anything.")
    var dryRun = false

    @OptionGroup var commit: CommitOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      var options = PipelineRunner.Options()
      options.stages = stages
      options.pipeline = pipeline
      options.force = force
      options.dryRun = dryRun
      options.commit = !commit.noCommit
      options.author = try commit.parsedAuthor()
      let report = try PipelineRunner(workspace: workspace).run(options)
      if output.json { return try context.printJSON(report) }
      for stage in report.stages {
        let action = stage.action.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
        let claims = stage.claims.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        context.print(
          "\(action) \(stage.pipeline):\(stage.stage)"
            + (stage.runKey.map { "  run \($0.short)" } ?? "")
            + (claims.isEmpty ? "" : "  " + claims.joined(separator: " "))
            + (stage.reason.map { "  (\($0))" } ?? ""))
      }
      if let commit = report.commit {
        context.print("committed manifests/ as \(commit.short)")
      }
    }
  }
}
