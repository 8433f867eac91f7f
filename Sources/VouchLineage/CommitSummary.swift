import Foundation

/// A commit as vouch lists it in `log` and `diff`.
public struct CommitSummary: Hashable, Sendable, Codable {
  /// The commit id.
  public var id: GitObjectID
  /// Commit time.
  public var time: Date
  /// The first line of the message.
  public var summary: String
  /// The author's name.
  public var authorName: String
  /// The author's e-mail.
  public var authorEmail: String
}

/// One version of a file in the history of a repository (`vouch log`).
public struct FileVersion: Sendable {
  /// The commit that introduced this version (or deleted the file).
  public var commit: CommitSummary
  /// The file's bytes at that commit; `nil` when the commit deleted it.
  public var contents: Data?
}
