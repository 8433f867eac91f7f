import Foundation

/// A validated path inside the workspace: relative, `/`-separated, without `.` or `..`
/// components, and outside the folders vouch and git own (`.vouch/`, `.git/`).
public struct WorkspacePath: Hashable, Sendable, Comparable {
  /// The normalised relative form, for example `data/train.csv`.
  public let rawValue: String

  /// Validates `text`, read from `location` (a file and key, for the error message).
  ///
  /// An absolute path is accepted only when `root` is given and the path lies inside it; it is
  /// then made relative. `..` is refused outright, even when it would stay inside: a path in a
  /// manifest must mean the same file in every clone.
  /// - Throws: `LineageError.unsafePath` naming `location`, the path and the reason.
  public init(validating text: String, root: URL? = nil, location: String) throws {
    var relative = text
    if text.hasPrefix("/") {
      let base = root.map { $0.standardizedFileURL.path } ?? ""
      let prefix = base.hasSuffix("/") ? base : base + "/"
      guard !base.isEmpty, text.hasPrefix(prefix) else {
        throw LineageError.unsafePath(location, text, "is absolute and outside the workspace")
      }
      relative = String(text.dropFirst(prefix.count))
    }
    if text.contains("\0") || text.contains("\\") {
      throw LineageError.unsafePath(location, text, "contains a NUL or backslash character")
    }
    let parts = relative.split(separator: "/", omittingEmptySubsequences: true)
      .filter { $0 != "." }
    if parts.contains("..") {
      throw LineageError.unsafePath(location, text, "uses '..'")
    }
    guard let first = parts.first else {
      throw LineageError.unsafePath(location, text, "names no file")
    }
    if first == ".git" || first == ".vouch" {
      throw LineageError.unsafePath(location, text, "is inside \(first)/, which vouch never tracks")
    }
    let normalised = parts.joined(separator: "/")
    if let problem = RecordedPath.problem(with: normalised) {
      throw LineageError.unsafePath(location, text, problem)
    }
    rawValue = normalised
  }

  /// Accepts `text` from a record only in canonical form (see ``RecordedPath``) and outside
  /// `.vouch/`; nothing is normalised.
  /// - Throws: `LineageError` (integrity) naming `location`, the path and the reason.
  public init(decoding text: String, location: String) throws {
    try RecordedPath.validate(text, location: location)
    if text == ".vouch" || text.hasPrefix(".vouch/") {
      throw LineageError.unsafeRecordedPath(location, text, "is inside .vouch/")
    }
    rawValue = text
  }

  /// Whether `self` is `other` or lies inside folder `other`.
  public func isWithin(_ other: WorkspacePath) -> Bool {
    rawValue == other.rawValue || rawValue.hasPrefix(other.rawValue + "/")
  }

  public static func < (lhs: WorkspacePath, rhs: WorkspacePath) -> Bool {
    lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
  }
}

extension WorkspacePath: CustomStringConvertible {
  /// The relative form.
  public var description: String { rawValue }
}

extension WorkspacePath: Codable {
  /// Decodes a path from a record, accepted only in canonical form (``init(decoding:location:)``).
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do { try self.init(decoding: text, location: "path") } catch let error as LineageError {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
    }
  }

  /// Encodes the relative form.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
