import Foundation
import Testing
import VouchTestSupport

@Suite struct HelpTests {
  @Test func helpListsSubcommandsAndExitStatuses() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["--help"], in: directory.url)
    #expect(result.status == 0)
    for word in [
      "init", "add", "status", "checkout", "ls", "show", "check", "gc", "model", "EXIT STATUS",
    ] {
      #expect(result.stdout.contains(word), "help lacks \(word)")
    }
  }

  @Test func unknownSubcommandIsAUsageError() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["frobnicate"], in: directory.url)
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "vouch: error: unknown command 'frobnicate'; `vouch --help` lists the commands\n")
    #expect(result.stdout.isEmpty)
  }

  /// Findings rows 0.4 and 0.5: `vouch help bogus` used to print the root help with status 0, and
  /// `vouch bogus` used ArgumentParser's three-line `Error:` form.
  @Test(arguments: [
    (["help", "bogus"], "unknown command 'bogus'; `vouch --help` lists the commands"),
    (
      ["statsu"],
      "unknown command 'statsu' (did you mean 'status'?); `vouch --help` lists the commands"
    ),
    (
      ["model", "generat", "x"],
      "unknown command 'generat' (did you mean 'generate'?); `vouch model --help` lists its subcommands"
    ),
    (
      ["help", "remote", "ad"],
      "unknown command 'ad' (did you mean 'add'?); `vouch remote --help` lists its subcommands"
    ),
  ])
  func unknownCommandsAreNamed(arguments: [String], message: String) throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(arguments, in: directory.url)
    #expect(result.status == 64)
    #expect(result.stderr == "vouch: error: \(message)\n")
    #expect(result.stdout.isEmpty)
  }

  @Test func helpForAKnownCommandStillWorks() throws {
    let directory = try TemporaryDirectory()
    for arguments in [["help", "add"], ["help", "model", "generate"], ["help"]] {
      let result = try VouchProcess.vouch(arguments, in: directory.url)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      #expect(result.stdout.hasPrefix("OVERVIEW: "), "\(arguments)")
    }
  }

  /// Findings row 0.6: shell completion is mentioned in the root help.
  @Test func rootHelpMentionsShellCompletion() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["--help"], in: directory.url)
    #expect(result.stdout.contains("--generate-completion-script"))
    let script = try VouchProcess.vouch(
      ["--generate-completion-script", "bash"], in: directory.url)
    #expect(script.status == 0)
    #expect(script.stdout.contains("vouch"))
  }

  @Test func parseErrorsAreOneLineInVouchsShape() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["add", "--kind", "weird", "x"], in: directory.url)
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "vouch: error: The value 'weird' is invalid for '--kind <kind>'. Please provide one of the following: dataset, model, adapter, labels, results, figure, other\n"
    )
  }

  @Test func versionPrints() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["--version"], in: directory.url)
    #expect(result.status == 0)
    #expect(
      result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3
    )
  }
}
