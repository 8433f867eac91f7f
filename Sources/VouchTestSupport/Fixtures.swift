import Foundation

/// Locates the committed reference fixtures under `Tests/Fixtures/` (made by
/// `scripts/make_reference_fixtures.py`).
public enum Fixtures {
  /// `Tests/Fixtures/`.
  public static var root: URL {
    // Sources/VouchTestSupport/Fixtures.swift → the package root is two levels above Sources.
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Tests/Fixtures", isDirectory: true)
  }

  /// `Tests/Fixtures/<relative>`.
  public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}
