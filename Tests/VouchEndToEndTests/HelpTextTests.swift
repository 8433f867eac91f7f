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

  /// `remote gc --unreferenced` deletes what other clones may need: the help must say so.
  @Test func remoteGcHelpIsPinned() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["remote", "gc", "--help"], in: directory.url)
    #expect(result.status == 0)
    #expect(
      result.stdout == """
        OVERVIEW: Removes what killed pushes left on a remote, and on request
        unreferenced objects.

        Removes the temporary files that killed pushes left in the remote's tmp/, once
        running pushes and checks have finished (it waits up to VOUCH_LOCK_TIMEOUT
        seconds, default 60, and pushes wait for it).

        With --unreferenced it also deletes every object and recipe on the remote that
        this workspace does not reference: it keeps what `vouch gc` keeps (the artifact
        manifests, pipeline locks and run records in the working tree, at HEAD and at
        each --keep-rev) and the chunks of kept recipes. Other clones and branches may
        still need objects this workspace does not reference; --unreferenced removes
        those too, and fetching them then fails until someone pushes them again. Run it
        with --dry-run first.

        Exit status 64 for an unknown remote or revision, or a remote directory that is
        missing or not a vouch remote; 11 when pushes keep the remote locked past
        VOUCH_LOCK_TIMEOUT; 12 when a kept recipe on the remote is damaged (nothing is
        deleted then).

        USAGE: vouch remote gc [--dry-run] [--unreferenced] [--keep-rev <keep-rev> ...] [--remote <remote>] [--json]

        OPTIONS:
          --dry-run               Print what would be removed without removing anything.
          --unreferenced          Also delete what this workspace does not reference
                                  (other clones may need it).
          --keep-rev <keep-rev>   With --unreferenced, also keep what the manifests at
                                  these git revisions reference.
          --remote <remote>       The remote to use (default: the default remote in
                                  manifests/remotes.toml).
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
