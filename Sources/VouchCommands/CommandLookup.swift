import ArgumentParser

/// Finds the subcommand words of a command line before ArgumentParser parses it, so that an
/// unknown command is a one-line usage error that names it — also after `vouch help`, where
/// ArgumentParser would print the root help and exit 0.
enum CommandLookup {
  /// The message for the first word of `arguments` that names no subcommand, or `nil` when every
  /// leading word is a known command (or there is none).
  ///
  /// Words are read from the start while the command reached so far has subcommands; the first
  /// option (`-…`) ends the walk. A leading `help` is skipped, as ArgumentParser's help command
  /// takes the same words after it.
  /// - Parameter arguments: the command line without the program name.
  /// - Returns: `unknown command 'WORD'; …` with the nearest known name when one is close.
  static func unknownCommand(in arguments: [String]) -> String? {
    var words = arguments[...]
    if words.first == "help" { words = words.dropFirst() }
    var command: any ParsableCommand.Type = VouchCommand.self
    var path = [VouchCommand._commandName]
    while let word = words.first, !word.hasPrefix("-") {
      let subcommands = command.configuration.subcommands
      if subcommands.isEmpty { return nil }
      let names = subcommands.map { $0._commandName } + (path.count == 1 ? ["help"] : [])
      guard let match = subcommands.first(where: { $0._commandName == word }) else {
        if names.contains(word) { return nil }
        let parent = path.joined(separator: " ")
        let suggestion = nearest(to: word, among: names).map { " (did you mean '\($0)'?)" } ?? ""
        let listed = path.count == 1 ? "the commands" : "its subcommands"
        return "unknown command '\(word)'\(suggestion); `\(parent) --help` lists \(listed)"
      }
      command = match
      path.append(word)
      words = words.dropFirst()
    }
    return nil
  }

  /// The name in `names` within two edits of `word` (the closest, first on ties), if any; a
  /// word no longer than its distance to every name gets no suggestion.
  static func nearest(to word: String, among names: [String]) -> String? {
    let scored = names.map { (name: $0, distance: editDistance(word, $0)) }
    guard let best = scored.min(by: { $0.distance < $1.distance }),
      best.distance <= 2, best.distance < word.count
    else { return nil }
    return best.name
  }

  /// The Levenshtein distance between `a` and `b` (insertions, deletions, substitutions).
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1]
      for (j, y) in b.enumerated() {
        current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
      }
      previous = current
    }
    return previous[b.count]
  }
}
