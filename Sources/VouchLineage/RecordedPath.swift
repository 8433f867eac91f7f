/// The rules every path read from a record must already follow, without normalising anything.
///
/// Manifests, listings, locks and run records may come from someone else's repository or remote.
/// A path in them is accepted only in its one canonical form: relative, `/`-separated, no empty,
/// `.` or `..` component, no NUL, backslash or control character, no `.git` component (git
/// refuses those in trees for the same reason), at most ``maximumComponentBytes`` bytes per
/// component and ``maximumBytes`` in all. Paths typed by people (pipeline files, arguments) are
/// normalised first by ``WorkspacePath/init(validating:root:location:)``; paths in records never
/// are, so a record that spells one file two ways is refused rather than guessed at.
public enum RecordedPath {
  /// Longest accepted path, in UTF-8 bytes (Linux's `PATH_MAX`).
  public static let maximumBytes = 4096
  /// Longest accepted component, in UTF-8 bytes (`NAME_MAX` on every common filesystem).
  public static let maximumComponentBytes = 255

  /// Why `text` is not a canonical relative path, or `nil` when it is one.
  public static func problem(with text: String) -> String? {
    if text.isEmpty { return "is empty" }
    if text.utf8.count > maximumBytes { return "is longer than \(maximumBytes) bytes" }
    if text.hasPrefix("/") { return "is absolute" }
    if let bad = text.unicodeScalars.first(where: isForbidden) {
      return bad == "\\"
        ? "contains a backslash" : "contains a control character (U+\(hex(bad.value)))"
    }
    for component in text.split(separator: "/", omittingEmptySubsequences: false) {
      switch component {
      case "": return "has an empty component ('//' or a trailing '/')"
      case ".": return "has a '.' component"
      case "..": return "uses '..'"
      default:
        if component.utf8.count > maximumComponentBytes {
          return "has a component longer than \(maximumComponentBytes) bytes"
        }
        if component.lowercased() == ".git" { return "has a '.git' component" }
      }
    }
    return nil
  }

  /// The one-line refusal of the recorded path `text` for `problem` (from ``problem(with:)``),
  /// with control characters shown escaped so the message stays on one line.
  public static func refusal(_ text: String, _ problem: String) -> String {
    "path '\(text.debugDescription.dropFirst().dropLast())' \(problem), which vouch never writes; "
      + "the file was edited or forged, so restore it from git"
  }

  /// Checks that `text` is canonical.
  /// - Parameters:
  ///   - text: the path as recorded.
  ///   - location: the file and key it was read from, for the message.
  /// - Throws: `LineageError` (integrity) naming `location` and the reason.
  public static func validate(_ text: String, location: String) throws {
    if let problem = problem(with: text) {
      throw LineageError.unsafeRecordedPath(location, text, problem)
    }
  }

  /// Checks a folder's file list: each path canonical, sorted by bytes, unique, and no file
  /// standing where another file needs a folder (`a` beside `a/b`).
  /// - Throws: `LineageError.unsafePath` (integrity) naming `location`.
  public static func validateListing(_ paths: [String], location: String) throws {
    var previous: String?
    for path in paths {
      try validate(path, location: location)
      if let previous {
        guard previous.utf8.lexicographicallyPrecedes(path.utf8) else {
          throw LineageError.integrity(
            "\(location): files are not sorted and unique at '\(path)'; "
              + "restore the file from git (vouch writes them sorted)")
        }
        if path.hasPrefix(previous + "/") {
          throw LineageError.integrity(
            "\(location): '\(previous)' is a file but '\(path)' needs it to be a folder; "
              + "restore the file from git")
        }
      }
      previous = path
    }
  }

  private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\\"
  }

  private static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}
