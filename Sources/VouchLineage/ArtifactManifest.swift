import Foundation
import VouchCore

/// The manifest of one artifact, kept in git as `manifests/artifacts/<path>.json`.
///
/// It is written as canonical pretty JSON (sorted keys, two-space indent) so `git diff` stays small
/// and the same content always has the same bytes. For a file, `digest` is the SHA-256 of its
/// content; for a directory it is the digest of its ``DirectoryListing`` and `files` repeats that
/// listing so a reader of the manifest alone knows every file.
public struct ArtifactManifest: Sendable, Hashable, Codable {
  /// The schema version; decoding rejects any other value.
  public var schemaVersion: Int
  /// Path of the artifact relative to the workspace root, `/`-separated.
  public var path: String
  /// What the artifact is.
  public var kind: ArtifactKind
  /// Content digest (file) or listing digest (directory).
  public var digest: Digest
  /// Total size of the content in bytes (a directory: the sum of its files).
  public var size: ByteCount
  /// The files of a directory artifact, sorted by path; `nil` for a single file.
  public var files: [ArtifactFile]?
  /// Whether a single-file artifact is executable (`nil` for directories).
  public var executable: Bool?

  /// Creates a manifest at the current schema version.
  public init(
    path: String, kind: ArtifactKind, digest: Digest, size: ByteCount, files: [ArtifactFile]?,
    executable: Bool? = nil
  ) {
    schemaVersion = LineageSchema.artifactManifestVersion
    self.path = path
    self.kind = kind
    self.digest = digest
    self.size = size
    self.files = files
    self.executable = executable
  }

  /// Whether the artifact is a directory.
  public var isDirectory: Bool { files != nil }

  /// Every digest the artifact needs from the store: its content, or its listing and every file.
  public var referencedDigests: Set<Digest> {
    var digests: Set<Digest> = [digest]
    for file in files ?? [] { digests.insert(file.digest) }
    return digests
  }

  /// Canonical pretty bytes, as written under `manifests/`.
  public func encoded() throws -> Data { try CanonicalJSON.prettyData(for: self) }

  /// Decodes a manifest, rejecting unknown schema versions.
  public static func decode(_ data: Data) throws -> ArtifactManifest {
    try JSONDecoder().decode(ArtifactManifest.self, from: data)
  }

  private enum CodingKeys: String, CodingKey {
    case schemaVersion, path, kind, digest, size, files, executable
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
    guard schemaVersion == LineageSchema.artifactManifestVersion else {
      throw DecodingError.dataCorruptedError(
        forKey: .schemaVersion, in: container,
        debugDescription:
          "artifact manifest schema version \(schemaVersion) is not supported (this build reads \(LineageSchema.artifactManifestVersion)); upgrade vouch"
      )
    }
    path = try container.decode(String.self, forKey: .path)
    kind = try container.decode(ArtifactKind.self, forKey: .kind)
    digest = try container.decode(Digest.self, forKey: .digest)
    size = try container.decode(ByteCount.self, forKey: .size)
    files = try container.decodeIfPresent([ArtifactFile].self, forKey: .files)
    executable = try container.decodeIfPresent(Bool.self, forKey: .executable)
    if let problem = Self.problem(path: path, files: files, size: size) {
      throw DecodingError.dataCorruptedError(
        forKey: problem.key, in: container, debugDescription: problem.message)
    }
  }

  /// What makes a decoded manifest impossible for vouch to have written, if anything: a path
  /// that is not canonical or lies in `.vouch/` or `manifests/`, files that are not a valid
  /// listing, or a size that is not the sum of the files'.
  private static func problem(path: String, files: [ArtifactFile]?, size: ByteCount)
    -> (key: CodingKeys, message: String)?
  {
    let suffix = "which vouch never writes; the file was edited or forged, so restore it from git"
    let first = path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
    if let problem = RecordedPath.problem(with: path) {
      return (.path, RecordedPath.refusal(path, problem))
    }
    if first == ".vouch" || first == "manifests" {
      return (.path, "path '\(path)' is inside \(first)/, \(suffix)")
    }
    guard let files else { return nil }
    do {
      try RecordedPath.validateListing(files.map(\.path), location: "files")
    } catch let error as LineageError {
      return (.files, error.message)
    } catch {
      return (.files, "\(error)")
    }
    var total: Int64? = 0
    for file in files {
      guard let sum = total?.addingReportingOverflow(file.size.value), !sum.overflow else {
        total = nil
        break
      }
      total = sum.partialValue
    }
    guard let total else { return (.size, "the files' sizes overflow, \(suffix)") }
    if total != size.value {
      return (.size, "size \(size.value) is not the sum of the files' sizes (\(total)), \(suffix)")
    }
    return nil
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(schemaVersion, forKey: .schemaVersion)
    try container.encode(path, forKey: .path)
    try container.encode(kind, forKey: .kind)
    try container.encode(digest, forKey: .digest)
    try container.encode(size, forKey: .size)
    try container.encodeIfPresent(files, forKey: .files)
    try container.encodeIfPresent(executable, forKey: .executable)
  }
}
