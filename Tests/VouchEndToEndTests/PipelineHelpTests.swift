import Foundation
import Testing
import VouchTestSupport

@Suite struct PipelineHelpTests {
  @Test func rootHelpListsThePipelineCommands() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["--help"], in: directory.url)
    for word in ["run", "reproduce", "verify", "lineage", "log", "diff"] {
      #expect(result.stdout.contains("  \(word) "), "help lacks \(word)")
    }
  }

  @Test(arguments: ["run", "reproduce", "verify", "lineage", "log", "diff"])
  func everyCommandDocumentsItsExitStatuses(command: String) throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch([command, "--help"], in: directory.url)
    #expect(result.status == 0)
    #expect(result.stdout.contains("Exit status"), "\(command) --help")
    #expect(result.stdout.hasPrefix("OVERVIEW: "))
    // The abstract may wrap; it ends at the first blank line.
    let overview = result.stdout.components(separatedBy: "\n\n").first ?? ""
    #expect(overview.hasSuffix("."), "abstract must be one sentence ending in a period")
    #expect(overview.filter { $0 == "." }.count == 1, "\(overview)")
  }

  @Test func outsideAWorkspace() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["run"], in: directory.url)
    #expect(result.status == 10)
  }
}
