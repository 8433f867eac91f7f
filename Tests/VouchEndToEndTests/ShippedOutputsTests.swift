import Foundation
import Testing
import VouchTestSupport

/// The repository's own shipped remote: `artifacts/organism/` must hold every output the
/// organism's lock records, intact, so the main job's `fetch` + `verify` pass on a fresh clone.
@Suite struct ShippedOutputsTests {
  @Test func theShippedOrganismOutputsMatchTheLock() throws {
    let sandbox = try Sandbox()
    let root = Sandbox.packageRoot.path
    let copy = try sandbox.shell(
      "mkdir -p artifacts && cp -R '\(root)/manifests/.' manifests/"
        + " && cp -R '\(root)/artifacts/organism' artifacts/")
    try #require(copy.status == 0, "\(copy.stderr)")
    let list = try sandbox.vouch(["remote", "list"])
    #expect(list.stdout.contains("artifacts/organism  (default)"), "\(list.stdout)")
    let fetch = try sandbox.vouch(["fetch", "--json"])
    #expect(fetch.status == 0, "\(fetch.stderr)")
    #expect(fetch.stdout.contains("\"missing\": []"), "\(fetch.stdout)")
    #expect(!fetch.stderr.contains("warning"), "\(fetch.stderr)")
    let verify = try sandbox.vouch(["verify"])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    #expect(verify.stdout.hasSuffix("all good\n"))
    // Under the 40 MiB budget for what the repository ships (issue 11).
    let size = try sandbox.shell("du -sb artifacts/organism | cut -f1").stdout
    let bytes = try #require(Int(size.trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(bytes <= 40 << 20, "artifacts/organism is \(bytes) bytes")
  }
}
