import Foundation
import Testing
import VouchTestSupport

/// `reproduce` names the files of a folder output that differ from the recorded folder when the
/// recorded one is in the store (as after `vouch fetch` of shipped outputs).
@Suite struct ReproduceDifferencesTests {
  @Test func aDifferingFolderOutputNamesItsChangedFiles() throws {
    let sandbox = try Sandbox.pipeline(example: false)
    try sandbox.write(
      "manifests/folder.pipeline.toml",
      """
      schemaVersion = 1
      [stages.make]
      command = "sh make.sh"
      inputs = ["make.sh"]
      outputs = ["out"]
      """)
    try sandbox.write(
      "make.sh", "mkdir -p out/sub\necho fixed > out/a.txt\necho one > out/sub/b.txt\n")
    let run = try sandbox.vouch(["run"])
    try #require(run.status == 0, "\(run.stderr)")
    try sandbox.write(
      "make.sh",
      "mkdir -p out/sub\necho fixed > out/a.txt\necho two > out/sub/b.txt\necho new > out/c.txt\n")
    let result = try sandbox.vouch(["reproduce"])
    #expect(result.status == 13, "\(result.stdout)\(result.stderr)")
    let row = try #require(result.stdout.split(separator: "\n").first { $0.contains("make / out") })
    #expect(row.hasPrefix("mismatch"))
    #expect(row.hasSuffix("; differing files: c.txt, sub/b.txt"), "\(row)")
    let json = try sandbox.vouch(["reproduce", "--json"])
    #expect(json.stdout.contains("\"differingFiles\": ["), "\(json.stdout)")
  }
}
