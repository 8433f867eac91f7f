import Foundation
import Testing
import VouchTestSupport

/// Help screens are part of the interface: pinned here so changes are deliberate.
@Suite struct HelpTextTests {
  @Test func gcHelpIsPinned() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["gc", "--help"], in: directory.url)
    #expect(result.status == 0)
    #expect(
      result.stdout == """
        OVERVIEW: Deletes stored objects that no manifest references.

        Keeps everything named by the artifact manifests in the working tree, at HEAD,
        and at each --keep-rev revision (a branch, tag or commit); deletes every other
        object and recipe. Waits for running adds to finish first. --dry-run prints
        what it would delete, with sizes.

        Exit status 64 for a revision that names no commit; 11 when the store stays
        locked.

        USAGE: vouch gc [--dry-run] [--keep-rev <keep-rev> ...] [--json]

        OPTIONS:
          --dry-run               Print what would be deleted without deleting anything.
          --keep-rev <keep-rev>   Also keep what the manifests at these git revisions
                                  reference.
          --json                  Print machine-readable JSON (canonical, sorted keys)
                                  instead of text.
          --version               Show the version.
          -h, --help              Show help information.


        """)
  }

  @Test(arguments: ["init", "add", "status", "checkout", "ls", "show", "check", "gc"])
  func everySubcommandHasAnAbstractAndOptionHelp(command: String) throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch([command, "--help"], in: directory.url)
    #expect(result.status == 0)
    let overview = try #require(result.stdout.split(separator: "\n").first)
    #expect(overview.hasPrefix("OVERVIEW: "))
    // Every option line in OPTIONS has a help text next to it (or on the next line).
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    if let start = lines.firstIndex(of: "OPTIONS:") {
      for (offset, line) in lines[(start + 1)...].enumerated() where line.hasPrefix("  -") {
        let next = lines[start + 1 + offset + 1]
        let hasHelp =
          line.trimmingCharacters(in: .whitespaces).contains("  ")
          || next.hasPrefix("                ")
        #expect(hasHelp, "\(command): \(line)")
      }
    }
  }

  @Test func addWithoutPathsIsAUsageError() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["add"], in: directory.url)
    #expect(result.status == 64)
    #expect(result.stderr == "vouch: error: name at least one file or folder to add\n")
  }
}
