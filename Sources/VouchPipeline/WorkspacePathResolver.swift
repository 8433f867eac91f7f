import Foundation

/// Turns paths typed by the user into validated workspace-relative paths.
///
/// A path may be relative to the current directory or absolute, and may contain `.` and `..` as
/// long as it ends up inside the workspace. Refused, each with a one-line usage error naming the
/// path and the fix: a path that does not exist, one outside the workspace, one whose symlinks lead
/// outside it, the workspace root itself, anything inside `.vouch/`, `.git/` or `manifests/`, and
/// anything that is neither a regular file nor a directory.
public struct WorkspacePathResolver: Sendable {
  /// The workspace root (symlinks resolved).
  public let root: URL
  /// Folders of the root that never hold artifacts.
  static let reservedTopLevel: Set<String> = [Workspace.storeDirectoryName, ".git", "manifests"]

  /// Creates a resolver for the workspace at `root`.
  public init(root: URL) { self.root = root }

  /// The workspace-relative form of `argument`, typed in `currentDirectory`, without checking
  /// that it exists (for `checkout` and `show`, whose paths may be absent from disk).
  public func relativePath(of argument: String, currentDirectory: URL) throws -> String {
    let absolute =
      argument.hasPrefix("/") ? argument : currentDirectory.path + "/" + argument
    let lexical = Self.normalize(absolute)
    // Resolve symlinks in the parent folders (so symlinked parents such as /tmp aliases compare
    // equal to the root) but not in the last component: a symlink is recorded under its own name.
    let resolved: String
    if lexical == "/" {
      resolved = lexical
    } else {
      let parent = Self.resolveExistingPrefix((lexical as NSString).deletingLastPathComponent)
      resolved = (parent == "/" ? "" : parent) + "/" + (lexical as NSString).lastPathComponent
    }
    guard let relative = relativeInside(resolved) else {
      throw PipelineError.usage(
        "'\(argument)' is outside the workspace \(root.path); move it inside the workspace or run vouch from the workspace that holds it"
      )
    }
    if relative.isEmpty {
      throw PipelineError.usage(
        "'\(argument)' is the workspace root; name a file or folder inside it")
    }
    if let first = relative.split(separator: "/").first,
      Self.reservedTopLevel.contains(String(first))
    {
      let manager = first == ".git" ? "git manages" : "vouch manages itself"
      throw PipelineError.usage(
        "'\(argument)' is inside \(first)/, which \(manager); name a data file or folder instead")
    }
    return relative
  }

  /// Validates a path for `vouch add`: it must exist, be readable, be a regular file or a
  /// directory, and neither it nor a symlink on its way may lead outside the workspace.
  public func existingArtifactPath(of argument: String, currentDirectory: URL) throws -> String {
    let absolute =
      argument.hasPrefix("/") ? argument : currentDirectory.path + "/" + argument
    let lexical = Self.normalize(absolute)
    var info = stat()
    if lstat(lexical, &info) != 0 {
      throw PipelineError.usage(
        "'\(argument)' does not exist; check the spelling, or create the file before adding it")
    }
    let relative = try relativePath(of: argument, currentDirectory: currentDirectory)
    let target = Self.realPath(lexical)
    guard let inside = relativeInside(target) else {
      throw PipelineError.usage(
        "'\(argument)' is a symlink that leads outside the workspace (to \(target)); copy the data into the workspace instead"
      )
    }
    try Self.refuseVouchOrGit(inside, shownAs: argument)
    try FileWalker.checkReadable(path: target, shownAs: argument)
    try Self.checkIgnorableName(relative, shownAs: argument)
    return relative
  }

  /// Refuses a name holding a control character (newline, tab, …): a `.gitignore` line cannot
  /// express it, so git would see the artifact's bytes (and ignore unrelated files instead).
  /// - Parameters:
  ///   - path: the workspace-relative path to check.
  ///   - shownAs: how to name it in the message (control characters are shown escaped).
  /// - Throws: `PipelineError.usage` naming the character and asking for a rename.
  public static func checkIgnorableName(_ path: String, shownAs: String) throws {
    let control = path.unicodeScalars.first { $0.properties.generalCategory == .control }
    guard let control else { return }
    throw PipelineError.usage(
      "'\(escapingControlCharacters(shownAs))' has a control character (\(controlName(control))) in its name, which .gitignore cannot express; rename it"
    )
  }

  /// `text` with each control character written as an escape (`\n`, `\t`, `\r`, `\u{1B}`).
  static func escapingControlCharacters(_ text: String) -> String {
    var shown = ""
    for scalar in text.unicodeScalars {
      if scalar.properties.generalCategory == .control {
        switch scalar {
        case "\n": shown += "\\n"
        case "\t": shown += "\\t"
        case "\r": shown += "\\r"
        default: shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        }
      } else {
        shown.unicodeScalars.append(scalar)
      }
    }
    return shown
  }

  /// A readable name for a control character: "newline", "tab", "carriage return" or `U+001B`.
  private static func controlName(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "\n": return "newline"
    case "\t": return "tab"
    case "\r": return "carriage return"
    default:
      let hex = String(scalar.value, radix: 16, uppercase: true)
      return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
  }

  /// Refuses a symlink whose target lies in `.git/` or `.vouch/` (`target` is relative to the
  /// root): their files (git credentials in `.git/config`, the store) are never artifacts.
  static func refuseVouchOrGit(_ target: String, shownAs: String) throws {
    let first = target.split(separator: "/").first.map(String.init) ?? ""
    guard first == ".git" || first == Workspace.storeDirectoryName else { return }
    throw PipelineError.usage(
      "'\(shownAs)' is a symlink into \(first)/ (to \(target)), whose files are never artifacts; "
        + "remove the link")
  }

  /// `path` relative to the root, or `nil` when it is not inside it.
  func relativeInside(_ path: String) -> String? {
    let base = root.path
    if path == base { return "" }
    let prefix = base.hasSuffix("/") ? base : base + "/"
    guard path.hasPrefix(prefix) else { return nil }
    return String(path.dropFirst(prefix.count))
  }

  /// Removes `.`, `..` and repeated slashes without touching the filesystem.
  static func normalize(_ absolute: String) -> String {
    var parts: [Substring] = []
    for component in absolute.split(separator: "/", omittingEmptySubsequences: true) {
      switch component {
      case ".": continue
      case "..": if !parts.isEmpty { parts.removeLast() }
      default: parts.append(component)
      }
    }
    return "/" + parts.joined(separator: "/")
  }

  /// `realpath(3)` of `path`, or `path` itself when it cannot be resolved.
  public static func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Resolves symlinks in the longest existing prefix of `path` and appends the rest.
  static func resolveExistingPrefix(_ path: String) -> String {
    var head = path
    var tail: [String] = []
    while head != "/" {
      if access(head, F_OK) == 0 || isSymlink(head) { break }
      tail.insert((head as NSString).lastPathComponent, at: 0)
      head = (head as NSString).deletingLastPathComponent
    }
    let resolved = realPath(head)
    if tail.isEmpty { return resolved }
    return (resolved == "/" ? "" : resolved) + "/" + tail.joined(separator: "/")
  }

  private static func isSymlink(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
  }
}
