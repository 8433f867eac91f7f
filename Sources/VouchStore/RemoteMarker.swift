import Foundation
import VouchCore

/// `vouch-remote.json`: says that a directory is a vouch remote, and in which layout.
struct RemoteMarker: Codable, Sendable {
  /// The document kind marker.
  static let kindName = "vouch.remote"

  /// Always `vouch.remote`.
  var kind: String
  /// The layout version the remote was written with.
  var layoutVersion: Int

  /// The canonical bytes of the marker this build writes.
  static func current() throws -> Data {
    try CanonicalJSON.prettyData(
      for: RemoteMarker(kind: kindName, layoutVersion: FilesystemRemote.layoutVersion))
  }

  /// Throws unless `bytes` are a marker of the layout this build knows.
  static func check(_ bytes: Data, at path: String) throws {
    guard let marker = try? JSONDecoder().decode(RemoteMarker.self, from: bytes),
      marker.kind == kindName
    else {
      throw StoreError.usage(
        "\(path) is not a valid vouch remote marker; restore it from git or a backup")
    }
    guard marker.layoutVersion == FilesystemRemote.layoutVersion else {
      throw StoreError.failure(
        "\(path) has remote layout version \(marker.layoutVersion), but this vouch knows only"
          + " version \(FilesystemRemote.layoutVersion); use a vouch release that supports it")
    }
  }
}
