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
    #expect(result.stderr.contains("frobnicate"))
    #expect(result.stdout.isEmpty)
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
