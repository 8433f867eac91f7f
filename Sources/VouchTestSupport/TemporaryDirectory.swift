import Foundation

/// A fresh directory under the system temporary folder, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
  /// The directory.
  public let url: URL

  /// Creates `…/vouch-test-<prefix>-<uuid>/`.
  public init(prefix: String = "t") throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("vouch-test-\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// `url/relative`.
  public func path(_ relative: String) -> URL { url.appendingPathComponent(relative) }

  /// Writes `contents` to `relative`, creating parent folders.
  @discardableResult
  public func write(_ relative: String, _ contents: Data) throws -> URL {
    let file = path(relative)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try contents.write(to: file)
    return file
  }

  /// Writes UTF-8 `text` to `relative`.
  @discardableResult
  public func write(_ relative: String, _ text: String) throws -> URL {
    try write(relative, Data(text.utf8))
  }

  deinit {
    // Make read-only objects removable before deleting the tree.
    if let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) {
      for case let item as URL in walker {
        chmod(item.path, 0o755)
      }
    }
    try? FileManager.default.removeItem(at: url)
  }
}
