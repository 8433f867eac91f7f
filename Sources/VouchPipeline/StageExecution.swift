import Foundation
import VouchLineage

/// Runs one stage's computation in a folder (the workspace, or a reproduction sandbox).
struct StageExecution {
  let workspace: Workspace
  let pipeline: String

  /// Removes the stage's old outputs, runs it, and checks that it wrote every declared output.
  /// - Throws: `PipelineError.failure` with the exit status and the end of standard error when
  ///   the command fails, or naming the outputs it did not write.
  func execute(_ stage: StageDefinition, in directory: URL, sandboxed: Bool = false) throws {
    // Old outputs go, and their folders are made, without following a symlink: an output
    // path under a symlinked folder would otherwise delete or write outside the workspace.
    let folders = try AnchoredFolders(anchor: directory.path)
    for output in stage.outputs {
      let (parent, name) = try folders.parent(of: output.rawValue, create: true)
      try parent?.remove(name)
    }
    if let builtIn = BuiltInStages.stage(for: stage.kind) {
      try builtIn.run(stage, in: directory, context: try BuiltInStages.context())
      try checkOutputs(stage, in: directory)
      return
    }
    guard stage.kind == .command, let command = stage.command else {
      throw PipelineError.usage(
        "stage '\(stage.name)' has kind '\(stage.kind)', which this vouch cannot run")
    }
    let outcome = try CommandStage.run(
      command, in: directory,
      environment: CommandStage.environment(pipeline: pipeline, stage: stage))
    guard outcome.status == 0 else {
      let tail = outcome.stderrTail.isEmpty ? "no output on stderr" : outcome.stderrTail
      let hint =
        sandboxed
        ? "; in a reproduction only declared inputs exist, so list every file the command reads"
        : "; fix the command and run again (the lock was not changed)"
      throw PipelineError.failure(
        "stage '\(stage.name)' failed with exit status \(outcome.status): \(tail)\(hint)")
    }
    try checkOutputs(stage, in: directory)
  }

  private func checkOutputs(_ stage: StageDefinition, in directory: URL) throws {
    let missing = stage.outputs.filter {
      !FileManager.default.fileExists(atPath: directory.appendingPathComponent($0.rawValue).path)
    }
    guard missing.isEmpty else {
      throw PipelineError.failure(
        "stage '\(stage.name)' succeeded but did not write "
          + missing.map { "'\($0)'" }.joined(separator: ", ")
          + "; make the command write every declared output")
    }
  }
}
