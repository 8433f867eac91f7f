import Foundation
import VouchCore
import VouchPipeline

/// Per-invocation state shared by the subcommands: where vouch runs, how to print, and the
/// workspace (found on first use).
struct CommandContext {
  /// The directory vouch was started in.
  let currentDirectory: URL

  /// A context for the process's current directory.
  init() {
    currentDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  }

  /// The workspace containing the current directory.
  /// - Throws: `PipelineError.noWorkspace` when there is none (exit status 10).
  func workspace() throws -> Workspace { try Workspace.locate(from: currentDirectory) }

  /// Prints one result line on standard output.
  func print(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
  }

  /// Prints `value` as canonical pretty JSON on standard output.
  func printJSON<T: Encodable>(_ value: T) throws {
    FileHandle.standardOutput.write(try CanonicalJSON.prettyData(for: value))
  }

  /// A progress callback drawing a bar labelled `label` on a terminal, and the bar (to finish).
  func progress(_ label: String) -> (ProgressBar?, (@Sendable (Int64, Int64) -> Void)?) {
    guard let bar = ProgressBar.make(label) else { return (nil, nil) }
    return (bar, { done, total in bar.update(done: done, total: total) })
  }
}
