import Foundation
import VouchLineage

/// Runs a `command` stage with `/bin/sh -c` in a given folder.
///
/// The command sees its stage through the environment: `VOUCH_PIPELINE`, `VOUCH_STAGE`,
/// `VOUCH_SEED` (when the stage has one), `VOUCH_PARAMS` (all parameters as canonical JSON) and
/// one `VOUCH_PARAM_<NAME>` per parameter (name upper-cased, `-` → `_`). `PYTHONHASHSEED` is
/// pinned to 0 so Python's hash randomisation cannot leak into outputs. Its standard output and
/// error are passed through to vouch's standard error; the last lines of its standard error are
/// kept for the failure message.
enum CommandStage {
  /// How a command ended.
  struct Outcome {
    /// Exit status, or 128 + signal.
    var status: Int32
    /// The last lines of its standard error.
    var stderrTail: String
  }

  /// The environment variables a stage adds to vouch's own.
  static func environment(pipeline: String, stage: StageDefinition) -> [String: String] {
    var env = ["VOUCH_PIPELINE": pipeline, "VOUCH_STAGE": stage.name, "PYTHONHASHSEED": "0"]
    if let seed = stage.seed { env["VOUCH_SEED"] = String(seed) }
    env["VOUCH_PARAMS"] = ParameterValue.table(stage.parameters).canonicalJSON
    for (name, value) in stage.parameters {
      let key = "VOUCH_PARAM_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
      env[key] = value.environmentText
    }
    return env
  }

  /// Runs `command` in `directory` and waits for it.
  /// - Throws: `PipelineError.failure` when the shell cannot be started.
  static func run(_ command: String, in directory: URL, environment: [String: String]) throws
    -> Outcome
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.standardError
    let errors = Pipe()
    process.standardError = errors
    do { try process.run() } catch {
      throw PipelineError.failure("cannot start /bin/sh for '\(command)': \(error)")
    }
    let tail = TailBuffer(limit: 4_096)
    let reader = errors.fileHandleForReading
    while true {
      let chunk = reader.availableData
      if chunk.isEmpty { break }
      FileHandle.standardError.write(chunk)
      tail.append(chunk)
    }
    process.waitUntilExit()
    let status =
      process.terminationReason == .uncaughtSignal
      ? 128 + process.terminationStatus : process.terminationStatus
    return Outcome(status: status, stderrTail: tail.lastLines(5))
  }
}

/// Keeps the last `limit` bytes written to it.
private final class TailBuffer {
  private var bytes = Data()
  private let limit: Int

  init(limit: Int) { self.limit = limit }

  func append(_ chunk: Data) {
    bytes.append(chunk)
    if bytes.count > limit { bytes = bytes.suffix(limit) }
  }

  /// The last `count` non-empty lines joined by ` | ` (one line for a one-line error message).
  func lastLines(_ count: Int) -> String {
    String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      .suffix(count).joined(separator: " | ")
  }
}
