import Foundation
import VouchCore

/// The canonical file list of a directory artifact; the directory's digest is the SHA-256 of its
/// canonical compact JSON (``canonicalData()``), and those bytes are stored as an object too, so a
/// directory can be restored from the store alone.
public struct DirectoryListing: Sendable, Hashable, Codable {
  /// The listing schema version written by this build.
  public static let currentSchemaVersion = 1

  /// Always ``currentSchemaVersion`` after decoding (other versions are rejected).
  public var schemaVersion: Int
  /// The files, sorted by path (byte order), each path unique.
  public var files: [ArtifactFile]

  /// Creates a listing of `files`, sorting them by path.
  public init(files: [ArtifactFile]) {
    schemaVersion = Self.currentSchemaVersion
    self.files = files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
  }

  /// The canonical compact bytes whose SHA-256 is the directory's digest.
  public func canonicalData() throws -> Data { try CanonicalJSON.data(for: self) }

  /// The directory's digest.
  public func digest() throws -> Digest { Digest.of(try canonicalData()) }

  /// Sum of the file sizes.
  public var totalSize: ByteCount { files.reduce(ByteCount(0)) { $0 + $1.size } }

  private enum CodingKeys: String, CodingKey { case schemaVersion, files }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
    guard schemaVersion == Self.currentSchemaVersion else {
      throw DecodingError.dataCorruptedError(
        forKey: .schemaVersion, in: container,
        debugDescription:
          "directory listing schema version \(schemaVersion) is not supported (this build reads \(Self.currentSchemaVersion)); upgrade vouch"
      )
    }
    files = try container.decode([ArtifactFile].self, forKey: .files)
    do {
      try RecordedPath.validateListing(files.map(\.path), location: "listing")
    } catch let error as LineageError {
      throw DecodingError.dataCorruptedError(
        forKey: .files, in: container, debugDescription: error.message)
    }
  }
}
