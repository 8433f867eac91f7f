import ArgumentParser
import VouchLineage

/// `--no-commit` and `--author`, shared by the commands that record runs.
struct CommitOptions: ParsableArguments {
  @Flag(
    name: .customLong("no-commit"),
    help: "Leave the manifest changes in the working tree, unstaged, instead of committing them.")
  var noCommit = false

  @Option(help: "Author of vouch's commit as 'Name <email>' (default: git's user.name/email).")
  var author: String?

  /// The parsed `--author`, if given.
  func parsedAuthor() throws -> GitAuthor? {
    try author.map { try GitAuthor(parsing: $0) }
  }
}
