import Foundation

/// The remotes of a workspace, kept in `manifests/remotes.toml` (committed, so every clone
/// knows where the shared objects are):
///
/// ```toml
/// schemaVersion = 1
/// default = "organism"
///
/// [remotes]
/// organism = "artifacts/organism"
/// ```
/// Each remote maps a name to a directory, relative to the workspace root or absolute.
/// `default` names the remote that `vouch push`, `fetch` and `pull` use without `--remote`.
public struct RemoteRegistry: Sendable, Hashable {
  /// The file, relative to the workspace root.
  public static let file = "manifests/remotes.toml"
  /// The schema version this build reads and writes.
  public static let schemaVersion = 1

  /// Remote name → directory (relative to the workspace root, or absolute).
  public var remotes: [String: String]
  /// The remote used when none is named.
  public var defaultName: String?

  /// A registry of `remotes`.
  public init(remotes: [String: String] = [:], defaultName: String? = nil) {
    self.remotes = remotes
    self.defaultName = defaultName
  }

  /// Whether `name` is a valid remote name: letters, digits, `-` and `_`.
  public static func isValidName(_ name: String) -> Bool {
    PipelineDefinition.isValidName(name)
  }

  /// Reads and validates `manifests/remotes.toml`.
  /// - Parameters:
  ///   - text: the file's content.
  ///   - file: how to name the file in messages.
  /// - Returns: the remotes and the default.
  /// - Throws: `LineageError` (usage) naming the line and key of the first problem.
  public static func parse(_ text: String, file: String = RemoteRegistry.file) throws
    -> RemoteRegistry
  {
    let top = TOMLTableReader(document: try TOMLDocument(text: text, file: file))
    guard let version = try top.integer("schemaVersion") else {
      throw top.missing("schemaVersion", "an integer; this vouch reads version 1")
    }
    try LineageSchema.check(
      Int(version), supported: schemaVersion, document: "remotes",
      location: top.location("schemaVersion"))
    try top.rejectUnknownKeys(["schemaVersion", "default", "remotes"])
    var registry = RemoteRegistry()
    if let table = try top.table("remotes") {
      for name in table.members.keys.sorted() {
        guard isValidName(name) else {
          throw table.error(name, "remote name may only use letters, digits, '-' and '_'")
        }
        let path = try table.requiredString(name)
        guard !path.isEmpty else { throw table.error(name, "the remote's path is empty") }
        registry.remotes[name] = path
      }
    }
    if let name = try top.string("default") {
      guard registry.remotes[name] != nil else {
        throw top.error(
          "default", "names remote '\(name)', which [remotes] does not list; add it or fix the name"
        )
      }
      registry.defaultName = name
    }
    return registry
  }

  /// The file's text: a comment, the schema version, the default, then the remotes by name.
  public func encoded() -> String {
    var text = """
      # The remotes of this workspace (`vouch remote add|list|remove`): name = directory, relative
      # to the workspace root or absolute. `default` is used when no --remote is given.
      schemaVersion = \(Self.schemaVersion)

      """
    if let defaultName { text += "default = \(Self.quoted(defaultName))\n" }
    text += "\n[remotes]\n"
    for (name, path) in remotes.sorted(by: { $0.key < $1.key }) {
      text += "\(name) = \(Self.quoted(path))\n"
    }
    return text
  }

  /// A TOML basic string.
  private static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += String(format: "\\u%04X", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
