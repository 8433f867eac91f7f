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
    let relative = "\(Self.artifactManifestFolder)/\(path).json"
    guard let data = try read(relative) else { return nil }
    return try Self.decodeManifest(data, shownAs: relative)
  }

  /// Every artifact manifest in the working tree, sorted by artifact path.
  ///
  /// Manifests whose file is unchanged since the last run come from `.vouch/manifests.cache`
  /// (see ``ManifestCache``) instead of being parsed again.
  public func allManifests() throws -> [ArtifactManifest] {
    try allManifests(reportingTo: nil)
  }

  /// Every artifact manifest that can be read; each one that cannot is passed to `report` (its
  /// file and the error) instead of ending the listing, so `verify` names them all.
  func allManifests(reportingTo report: ((String, any VouchError) -> Void)?) throws
    -> [ArtifactManifest]
  {
    var manifests: [ArtifactManifest] = []
    let walker = FileWalker(root: root)
    // Opened from the root without following symlinks: throws if `manifests/` is one.
    guard
      try AnchoredFolders(anchor: root.path).folder(Self.artifactManifestFolder, create: false)
        != nil
    else { return [] }
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
      let manifest: ArtifactManifest
      do {
        manifest = try Self.readManifest(at: url, shownAs: relativeManifestPath(url))
        let expected = String(entry.path.dropLast(".json".count))
        guard manifest.path == expected else {
          throw PipelineError.integrity(
            "\(relativeManifestPath(url)) records path '\(manifest.path)' but its file name says '\(expected)'; rename the manifest or fix its path field"
          )
        }
      } catch let error as any VouchError {
        guard let report else { throw error }
        report(relativeManifestPath(url), error)
        continue
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
  ///
  /// Manifests are machine-written, so one that does not decode (bad JSON, a path with `..`, a
  /// negative size) is an integrity failure, with the fix: restore it from git.
  static func readManifest(at url: URL, shownAs: String) throws -> ArtifactManifest {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw PipelineError.failure(
        "cannot read \(shownAs): \(Self.reason(error)); check its permissions")
    }
    return try decodeManifest(data, shownAs: shownAs)
  }

  /// Decodes manifest bytes read from `shownAs`.
  static func decodeManifest(_ data: Data, shownAs: String) throws -> ArtifactManifest {
    do {
      return try ArtifactManifest.decode(data)
    } catch let error as DecodingError {
      throw PipelineError.integrity(
        "\(shownAs) is not a valid artifact manifest: \(Self.describe(error))"
          + (Self.describe(error).contains("restore") ? "" : "; restore it from git"))
    } catch {
      throw PipelineError.integrity(
        "\(shownAs) is not a valid artifact manifest: \(error); restore it from git")
    }
  }

  /// The system's one-line reason for a Foundation file error (not its `NSError` dump).
  static func reason(_ error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return String(cString: strerror(Int32(underlying.code)))
    }
    if nsError.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(nsError.code)))
    }
    return nsError.localizedDescription
  }

  /// A one-line reason for a decoding failure.
  static func describe(_ error: DecodingError) -> String {
    switch error {
    case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
      let key = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
      var reason = context.debugDescription
      if let underlying = context.underlyingError as NSError?,
        let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String
      {
        // Foundation's JSON parser names the position of a syntax error here.
        reason = "not valid JSON (\(detail))"
      }
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
