import Foundation

/// The outcome of running a program: exit status and captured output.
public struct ProcessResult: Sendable {
  /// Exit status (or 128 + signal number when the process was killed).
  public var status: Int32
  /// Captured standard output.
  public var stdout: String
  /// Captured standard error.
  public var stderr: String
}

/// Runs the built `vouch` executable (or any program) for end-to-end tests.
public enum VouchProcess {
  /// The `vouch` binary next to the test bundle (`.build/<config>/vouch`), or `$VOUCH_BINARY`.
  public static var binary: URL {
    if let override = ProcessInfo.processInfo.environment["VOUCH_BINARY"] {
      return URL(fileURLWithPath: override)
    }
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // On Linux the test runner is `<build>/vouchPackageTests.xctest`; on macOS it sits inside a bundle.
    while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("vouch").path),
      directory.pathComponents.count > 1
    {
      directory.deleteLastPathComponent()
    }
    return directory.appendingPathComponent("vouch")
  }

  /// Runs `vouch arguments…` in `directory` and waits for it.
  @discardableResult
  public static func vouch(
    _ arguments: [String], in directory: URL, environment: [String: String] = [:],
    stdin: Data? = nil
  ) throws -> ProcessResult {
    try run(binary, arguments, in: directory, environment: environment, stdin: stdin)
  }

  /// Runs `program arguments…` in `directory` and waits for it.
  public static func run(
    _ program: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
    stdin: Data? = nil
  ) throws -> ProcessResult {
    let process = Process()
    process.executableURL = program
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let outPipe = Pipe()
    let errPipe = Pipe()
    let inPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = inPipe
    try process.run()
    if let stdin { inPipe.fileHandleForWriting.write(stdin) }
    try inPipe.fileHandleForWriting.close()
    // Drain both pipes concurrently so a chatty child cannot block on a full pipe.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = errPipe.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    let status =
      process.terminationReason == .uncaughtSignal
      ? 128 + process.terminationStatus : process.terminationStatus
    return ProcessResult(
      status: status, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
