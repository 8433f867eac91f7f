import Foundation
import VouchCore
import VouchLineage

extension Workspace {
  /// `manifests/artifacts/<path>.json` for the artifact at `path`.
  public func manifestURL(for path: String) -> URL {
    manifestDirectory.appendingPathComponent(path + ".json")
  }

  /// The manifest recorded for `path`, or `nil` if there is none.
  /// - Throws: `PipelineError.usage` when the manifest exists but cannot be read or decoded
  ///   (for example an unknown schema version).
  public func manifest(for path: String) throws -> ArtifactManifest? {
    let url = manifestURL(for: path)
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    return try Self.readManifest(at: url, shownAs: relativeManifestPath(url))
  }

  /// Every artifact manifest in the working tree, sorted by artifact path.
  ///
  /// Manifests whose file is unchanged since the last run come from `.vouch/manifests.cache`
  /// (see ``ManifestCache``) instead of being parsed again.
  public func allManifests() throws -> [ArtifactManifest] {
    var manifests: [ArtifactManifest] = []
    let walker = FileWalker(root: root)
    guard FileManager.default.fileExists(atPath: manifestDirectory.path) else { return [] }
    var cache = ManifestCache(url: storeDirectory.appendingPathComponent("manifests.cache"))
    var seen: Set<String> = []
    for entry in try walker.files(
      under: manifestDirectory.path, shownAs: Self.artifactManifestFolder)
    where entry.path.hasSuffix(".json") {
      seen.insert(entry.path)
      if let cached = cache.manifest(forKey: entry.path, stat: entry.stat) {
        manifests.append(cached)
        continue
      }
      let url = manifestDirectory.appendingPathComponent(entry.path)
      let manifest = try Self.readManifest(at: url, shownAs: relativeManifestPath(url))
      let expected = String(entry.path.dropLast(".json".count))
      guard manifest.path == expected else {
        throw PipelineError.usage(
          "\(relativeManifestPath(url)) records path '\(manifest.path)' but its file name says '\(expected)'; rename the manifest or fix its path field"
        )
      }
      cache.store(manifest, forKey: entry.path, stat: entry.stat)
      manifests.append(manifest)
    }
    cache.retain(only: seen)
    cache.save()
    return manifests.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
  }

  /// Writes `manifest` atomically (temporary file, then rename) as canonical pretty JSON.
  public func write(_ manifest: ArtifactManifest) throws {
    try writeAtomically(manifest.encoded(), to: manifestURL(for: manifest.path))
  }

  /// Decodes the manifest at `url`.
  static func readManifest(at url: URL, shownAs: String) throws -> ArtifactManifest {
    do {
      return try ArtifactManifest.decode(Data(contentsOf: url))
    } catch let error as DecodingError {
      throw PipelineError.usage(
        "\(shownAs) is not a valid artifact manifest: \(Self.describe(error))")
    } catch {
      throw PipelineError.failure("cannot read \(shownAs): \(error.localizedDescription)")
    }
  }

  /// A one-line reason for a decoding failure.
  static func describe(_ error: DecodingError) -> String {
    switch error {
    case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
      let key = context.codingPath.map(\.stringValue).joined(separator: ".")
      let reason = context.debugDescription
      return key.isEmpty ? reason : "\(key): \(reason)"
    case .keyNotFound(let key, _):
      return "missing field '\(key.stringValue)'; restore the file from git"
    @unknown default:
      return "\(error)"
    }
  }

  private func relativeManifestPath(_ url: URL) -> String {
    WorkspacePathResolver(root: root).relativeInside(url.path) ?? url.path
  }
}
