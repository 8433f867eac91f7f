import Foundation
import VouchCore
import VouchLineage

/// The artifacts, runs and claims recorded by one state of `manifests/` (a commit, or the
/// working tree), for `vouch diff` and `vouch log`.
public struct ManifestSnapshot: Sendable, Hashable {
  /// Artifact path → digest.
  public var artifacts: [String: Digest] = [:]
  /// `pipeline:stage` → run key.
  public var runs: [String: RunKey] = [:]
  /// `pipeline:claim` → value and unit.
  public var claims: [String: ClaimValue] = [:]
  /// Manifest and lock files that could not be read (skipped, but named by `vouch diff`).
  public var unreadable: [String] = []

  /// A claim's value with its unit.
  public struct ClaimValue: Sendable, Hashable, Codable {
    public var value: ExactFloat
    public var unit: String
  }

  /// Reads `files` (repository-relative path → bytes, as `ManifestRepository` returns them);
  /// files that do not decode are skipped (an old commit may hold older schemas).
  public init(files: [String: Data]) {
    let artifactPrefix = Workspace.artifactManifestFolder + "/"
    for (path, data) in files.sorted(by: { $0.key < $1.key }) {
      if path.hasPrefix(artifactPrefix), path.hasSuffix(".json") {
        guard let manifest = try? ArtifactManifest.decode(data) else {
          unreadable.append(path)
          continue
        }
        artifacts[manifest.path] = manifest.digest
      } else if path.hasSuffix(PipelineLock.fileSuffix), !path.hasPrefix(Workspace.runsFolder) {
        guard let lock = try? PipelineLock.decode(data, file: path) else {
          unreadable.append(path)
          continue
        }
        for (stage, record) in lock.stages {
          runs["\(lock.pipeline):\(stage)"] = record.runKey
          for claim in record.claims {
            claims["\(lock.pipeline):\(claim.name)"] = ClaimValue(
              value: claim.value, unit: claim.unit)
          }
        }
      }
    }
  }

  /// The working tree's `manifests/` (artifact manifests and locks; not run records).
  public static func workingTree(of workspace: Workspace) -> ManifestSnapshot {
    var files: [String: Data] = [:]
    let base = workspace.manifestsURL
    if let walker = FileManager.default.enumerator(atPath: base.path) {
      for case let relative as String in walker where !relative.hasPrefix("runs/") {
        guard relative.hasSuffix(".json"),
          let data = FileManager.default.contents(
            atPath: base.appendingPathComponent(relative).path)
        else { continue }
        files["\(Workspace.manifestsFolder)/\(relative)"] = data
      }
    }
    return ManifestSnapshot(files: files)
  }
}
