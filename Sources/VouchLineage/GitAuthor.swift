/// Who vouch's manifest commits are attributed to: `Name <email>`.
public struct GitAuthor: Hashable, Sendable, CustomStringConvertible {
  /// The author's name.
  public var name: String
  /// The author's e-mail address.
  public var email: String

  /// Creates an author from its parts.
  public init(name: String, email: String) {
    self.name = name
    self.email = email
  }

  /// Parses `Name <email>`, the form `git commit --author` takes.
  /// - Throws: `LineageError` (usage) when `text` is not of that form.
  public init(parsing text: String) throws {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else {
      throw LineageError(
        category: .usage,
        message: "author '\(text)' is not of the form 'Name <email>'; "
          + "pass e.g. --author 'Ada Lovelace <ada@example.org>'")
    }
    let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
    let email = String(
      trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
    guard !name.isEmpty, !email.isEmpty, !email.contains("<"), !email.contains(">") else {
      throw LineageError(
        category: .usage,
        message: "author '\(text)' needs both a name and an e-mail: 'Name <email>'")
    }
    self.init(name: name, email: email)
  }

  /// `Name <email>`.
  public var description: String { "\(name) <\(email)>" }
}
