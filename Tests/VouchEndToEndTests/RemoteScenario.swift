import Foundation
import Testing
import VouchTestSupport

/// A workspace with a chunked data file (`data/big.bin`, 3 MiB) and a folder artifact
/// (`models/m`, whose `weights.bin` is stored whole), pushed to the default remote `lab` in a
/// directory outside it; with helpers to damage the remote and to clone the workspace.
struct RemoteScenario {
  let sandbox: Sandbox
  /// Holds the remote (kept alive with the scenario).
  let shared: TemporaryDirectory
  /// The remote's root.
  let remote: URL

  /// Builds the workspace and the remote; pushes unless `push` is false.
  init(push: Bool = true) throws {
    sandbox = try Sandbox()
    try sandbox.write("data/big.bin", Sandbox.random(3 << 20, seed: 31))
    try sandbox.write("models/m/config.json", #"{"hidden_size": 8}"#)
    try sandbox.write("models/m/weights.bin", Sandbox.random(70_000, seed: 32))
    let add = try sandbox.vouch(["add", "data/big.bin", "models/m"])
    try #require(add.status == 0, "\(add.stderr)")
    shared = try TemporaryDirectory(prefix: "remote")
    remote = shared.url.appendingPathComponent("lab")
    let added = try sandbox.vouch(["remote", "add", "lab", remote.path, "--default"])
    try #require(added.status == 0, "\(added.stderr)")
    if push {
      let pushed = try sandbox.vouch(["push"])
      try #require(pushed.status == 0, "\(pushed.stderr)")
    }
  }

  /// The SHA-256 hex of a workspace file.
  func hex(of relative: String) throws -> String {
    try sandbox.shell("sha256sum '\(relative)' | cut -c1-64").stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The remote path of the object (`recipe: false`) or recipe named `hex`.
  func path(_ hex: String, recipe: Bool = false) -> URL {
    remote.appendingPathComponent(
      "\(recipe ? "recipes" : "objects")/sha256/\(hex.prefix(2))/\(hex)")
  }

  /// The hex digests of the chunks that the remote recipe of `relative` lists, in order.
  func chunks(of relative: String) throws -> [String] {
    let data = try Data(contentsOf: path(try hex(of: relative), recipe: true))
    let recipe = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let chunks = try #require(recipe["chunks"] as? [[String: Any]])
    return chunks.compactMap {
      ($0["digest"] as? String)?.replacingOccurrences(of: "sha256:", with: "")
    }
  }

  /// Flips one bit of byte `offset` of a remote file (same size, other bytes).
  func flipByte(in file: URL, at offset: Int) throws {
    chmod(file.path, 0o644)
    var bytes = try Data(contentsOf: file)
    bytes[offset] ^= 0x01
    try bytes.write(to: file)
  }

  /// Cuts a remote file to `length` bytes.
  func truncate(_ file: URL, to length: Int) throws {
    chmod(file.path, 0o644)
    let bytes = try Data(contentsOf: file)
    try bytes.prefix(length).write(to: file)
  }

  /// The files in the remote's `tmp/`.
  func remoteTemporaryFiles() -> [String] {
    (try? FileManager.default.contentsOfDirectory(
      atPath: remote.appendingPathComponent("tmp").path)) ?? []
  }

  /// A second workspace holding a copy of the manifests (a fresh clone).
  func clone() throws -> Sandbox {
    let other = try Sandbox()
    let copy = try other.shell("cp -R '\(sandbox.root.path)/manifests/.' manifests/")
    try #require(copy.status == 0, "\(copy.stderr)")
    return other
  }

  /// Expects a fresh clone to fetch and check out everything, and `remote check` to pass.
  func expectHealthy(sourceLocation: SourceLocation = #_sourceLocation) throws {
    let other = try clone()
    let pull = try other.vouch(["pull"])
    #expect(pull.status == 0, "\(pull.stdout) \(pull.stderr)", sourceLocation: sourceLocation)
    for path in ["data/big.bin", "models/m/weights.bin"] {
      #expect(
        try other.read(path) == sandbox.read(path), "\(path)", sourceLocation: sourceLocation)
    }
    let check = try sandbox.vouch(["remote", "check"])
    #expect(check.status == 0, "\(check.stdout) \(check.stderr)", sourceLocation: sourceLocation)
  }
}
