import Foundation
import Testing
import VouchCore
import VouchTestSupport

/// A folder outside every workspace, with a sentinel file in it, that hostile manifests and
/// symlinks try to write into: `snapshot()` before and after must be equal.
final class OutsideTree: @unchecked Sendable {
  let directory: TemporaryDirectory
  /// The folder (symlinks resolved).
  let root: URL

  init() throws {
    directory = try TemporaryDirectory(prefix: "outside")
    root = directory.url.resolvingSymlinksInPath()
    try directory.write("sentinel.txt", "do not touch")
    try directory.write("sub/authorized_keys", "ssh-ed25519 AAAA owner")
  }

  /// Every entry under the folder: a file's SHA-256, a symlink's target, `dir` for a folder.
  func snapshot() throws -> [String: String] {
    var entries: [String: String] = [:]
    let manager = FileManager.default
    guard let walker = manager.enumerator(atPath: root.path) else { return [:] }
    for case let relative as String in walker {
      let path = root.appendingPathComponent(relative).path
      let attributes = try manager.attributesOfItem(atPath: path)
      switch attributes[.type] as? FileAttributeType {
      case .typeDirectory?: entries[relative] = "dir"
      case .typeSymbolicLink?:
        entries[relative] = "link " + (try manager.destinationOfSymbolicLink(atPath: path))
      default:
        entries[relative] = Digest.of(try Data(contentsOf: URL(fileURLWithPath: path))).hex
      }
    }
    return entries
  }
}

extension Sandbox {
  /// Rewrites the JSON document at `relative` through `edit`.
  func editJSON(_ relative: String, _ edit: (inout [String: Any]) throws -> Void) throws {
    var object = try #require(
      try JSONSerialization.jsonObject(with: read(relative)) as? [String: Any])
    try edit(&object)
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    try write(relative, [UInt8](data))
  }

  /// The JSON document at `relative`.
  func json(_ relative: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: read(relative)) as? [String: Any])
  }

  /// The metric example, committed, run once: both stages recorded.
  static func ranMetric() throws -> Sandbox {
    let sandbox = try Sandbox.pipeline()
    try sandbox.git(["add", "-A"])
    try sandbox.git(["commit", "-qm", "example"])
    let run = try sandbox.vouch(["run"])
    try #require(run.status == 0, "\(run.stderr)")
    return sandbox
  }

  /// The run record file of the lock's entry for `stage` of the metric pipeline.
  func metricRunRecordPath(_ stage: String) throws -> String {
    let lock = try json("manifests/metric.lock.json")
    let stages = try #require(lock["stages"] as? [String: Any])
    let entry = try #require(stages[stage] as? [String: Any])
    let key = try #require((entry["runKey"] as? String)?.dropFirst("sha256:".count))
    return "manifests/runs/\(key).json"
  }

  /// The path of the stored object for `relative`'s content (a whole-file object).
  func objectPath(of relative: String) throws -> String {
    let digest = Digest.of(try read(relative)).hex
    return ".vouch/objects/sha256/\(digest.prefix(2))/\(digest)"
  }
}

/// `"<value>"`'s SHA-256 as a record writes it: what a forger recomputes for `valueDigest`.
func forgedValueDigest(_ value: String) -> String {
  Digest.of(Data("\"\(value)\"".utf8)).description
}

/// Sets claim `name`'s value (and, as a careful forger would, its value digest) in a record's
/// claims array.
func forge(claims: inout [String: Any], named name: String, value: String) throws {
  var list = try #require(claims["claims"] as? [[String: Any]])
  let index = try #require(list.firstIndex { $0["name"] as? String == name })
  list[index]["value"] = value
  list[index]["valueDigest"] = forgedValueDigest(value)
  claims["claims"] = list
}
