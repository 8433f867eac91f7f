import Foundation
import Testing
import VouchTestSupport

/// Small wording fixes from the findings' UX list, pinned.
@Suite struct WordingTests {
  /// Findings 1.36: auto mode never hardlinks, and the help says so.
  @Test func checkoutHelpDescribesAutoAsTheCodeDoes() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["checkout", "--help"], in: directory.url)
    let help = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(help.contains("auto (reflink, else copy; never a hardlink)"), "\(result.stdout)")
  }

  /// Findings 1.18: git, not vouch, manages .git/.
  @Test func addingInsideGitNamesGit() throws {
    let sandbox = try Sandbox()
    let git = try sandbox.vouch(["add", ".git"])
    #expect(git.status == 64)
    #expect(
      git.stderr
        == "vouch: error: '.git' is inside .git/, which git manages; name a data file or folder instead\n"
    )
    let store = try sandbox.vouch(["add", ".vouch/config"])
    #expect(store.stderr.contains("is inside .vouch/, which vouch manages itself"))
  }
}
