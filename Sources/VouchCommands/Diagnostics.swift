import Foundation

/// Writes diagnostics to standard error (results go to standard output).
enum Diagnostics {
  /// Whether standard error is a terminal (progress bars and colour only then).
  static let stderrIsTerminal: Bool = isatty(STDERR_FILENO) == 1

  /// Prints `vouch: error: <message>` on one line.
  static func error(_ message: String) {
    let prefix = stderrIsTerminal ? "\u{1B}[1;31merror:\u{1B}[0m" : "error:"
    write("vouch: \(prefix) \(message)\n")
  }

  /// Prints `vouch: warning: <message>` on one line.
  static func warning(_ message: String) {
    let prefix = stderrIsTerminal ? "\u{1B}[1;33mwarning:\u{1B}[0m" : "warning:"
    write("vouch: \(prefix) \(message)\n")
  }

  /// `message` on one line: ArgumentParser lists choices on lines of their own (`  - dataset`),
  /// which become a comma-separated list after the first line.
  static func oneLine(_ message: String) -> String {
    let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    guard let first = lines.first, lines.count > 1 else { return lines.first ?? "" }
    let items = lines.dropFirst().map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
    return first + " " + items.joined(separator: ", ")
  }

  /// Writes raw text to standard error.
  static func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
