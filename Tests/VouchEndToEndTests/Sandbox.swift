import Foundation
import Testing
import VouchTestSupport

/// A temporary git repository with a vouch workspace, for running the built `vouch` in.
final class Sandbox: @unchecked Sendable {
  let directory: TemporaryDirectory
  /// The workspace root (symlinks resolved, as vouch prints it).
  let root: URL

  /// A fresh directory; `git init` unless `git` is false; `vouch init` unless `initialise` is false.
  init(git: Bool = true, initialise: Bool = true) throws {
    directory = try TemporaryDirectory(prefix: "e2e")
    root = directory.url.resolvingSymlinksInPath()
    if git {
      let result = try VouchProcess.run(
        URL(fileURLWithPath: "/usr/bin/git"), ["init", "-q", "."], in: root)
      try #require(result.status == 0, "git init failed: \(result.stderr)")
    }
    if initialise {
      let result = try vouch(git ? ["init"] : ["init", "--no-git"])
      try #require(result.status == 0, "vouch init failed: \(result.stderr)")
    }
  }

  /// Runs `vouch arguments…` in the root (or `subdirectory`).
  @discardableResult
  func vouch(_ arguments: [String], in subdirectory: String? = nil) throws -> ProcessResult {
    let directory = subdirectory.map { root.appendingPathComponent($0) } ?? root
    return try VouchProcess.vouch(
      arguments, in: directory, environment: ["VOUCH_LOCK_TIMEOUT": "60"])
  }

  /// Starts `vouch arguments…` in the root (output discarded), SIGKILLs it after `delay` seconds
  /// if it is still running, and waits for it to end.
  /// - Returns: whether it was still running when the kill came.
  @discardableResult
  func vouchKilled(_ arguments: [String], after delay: Double) throws -> Bool {
    let process = Process()
    process.executableURL = VouchProcess.binary
    process.arguments = arguments
    process.currentDirectoryURL = root
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    usleep(useconds_t(delay * 1_000_000))
    let wasRunning = process.isRunning
    if wasRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return wasRunning
  }

  /// Runs a shell command in the root.
  @discardableResult
  func shell(_ command: String) throws -> ProcessResult {
    try VouchProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", command], in: root)
  }

  /// Writes `bytes` to `relative`.
  @discardableResult
  func write(_ relative: String, _ bytes: [UInt8]) throws -> URL {
    try directory.write(relative, Data(bytes))
  }

  /// Writes UTF-8 `text` to `relative`.
  @discardableResult
  func write(_ relative: String, _ text: String) throws -> URL {
    try directory.write(relative, text)
  }

  /// Random bytes from `seed`.
  static func random(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    return generator.bytes(count)
  }

  /// Contents of `relative` under the root.
  func read(_ relative: String) throws -> Data {
    try Data(contentsOf: root.appendingPathComponent(relative))
  }

  /// Every object file under `.vouch/objects`, relative to it.
  func objectFiles() throws -> [String] { try files(under: ".vouch/objects") }

  /// Every recipe under `.vouch/recipes`, relative to it.
  func recipeFiles() throws -> [String] { try files(under: ".vouch/recipes") }

  /// Regular files under `relative`, relative to it, sorted.
  func files(under relative: String) throws -> [String] {
    let base = root.appendingPathComponent(relative)
    guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
    var files: [String] = []
    for case let path as String in walker {
      var isDirectory: ObjCBool = false
      FileManager.default.fileExists(
        atPath: base.appendingPathComponent(path).path, isDirectory: &isDirectory)
      if !isDirectory.boolValue { files.append(path) }
    }
    return files.sorted()
  }

  /// Entries left in `.vouch/tmp` (must be none after any command finishes).
  func temporaryFiles() throws -> [String] {
    let tmp = root.appendingPathComponent(".vouch/tmp").path
    return (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []
  }

  /// Expects the store to be clean: `vouch check` passes and nothing is left in `.vouch/tmp`.
  func expectClean(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation)
    throws
  {
    let check = try vouch(["check"])
    #expect(
      check.status == 0, "check: \(check.stdout) \(check.stderr) \(comment?.description ?? "")",
      sourceLocation: sourceLocation)
    #expect(
      try temporaryFiles().isEmpty, "tmp not empty \(comment?.description ?? "")",
      sourceLocation: sourceLocation)
  }

  /// Flips one bit of byte `offset` of the file `relative` (under the root).
  func flipByte(in relative: String, at offset: Int) throws {
    let url = root.appendingPathComponent(relative)
    chmod(url.path, 0o644)
    var data = try Data(contentsOf: url)
    data[offset] ^= 0x01
    try data.write(to: url)
  }
}
