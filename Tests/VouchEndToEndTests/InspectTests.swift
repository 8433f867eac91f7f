import Foundation
import Testing
import VouchTestSupport

@Suite struct InspectTests {
  @Test func listsAndShowsArtifacts() throws {
    let sandbox = try Sandbox()
    #expect(try sandbox.vouch(["ls"]).stdout == "no artifacts yet; `vouch add PATH` records one\n")
    try sandbox.write("fig/loss.svg", "<svg/>")
    try sandbox.write("data.jsonl", "{}\n")
    #expect(try sandbox.vouch(["add", "fig", "data.jsonl"]).status == 0)
    let list = try sandbox.vouch(["ls"])
    let lines = list.stdout.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines[0].hasPrefix("dataset "))
    #expect(lines[0].hasSuffix(" data.jsonl"))
    #expect(lines[1].hasPrefix("figure "))
    #expect(lines[1].contains("1 files"))
    let json = try sandbox.vouch(["ls", "--json"])
    let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
    #expect(rows?.map { $0["path"] as? String } == ["data.jsonl", "fig"])

    let show = try sandbox.vouch(["show", "fig", "--json"])
    let manifest = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
    #expect(manifest?["kind"] as? String == "figure")
    let files = manifest?["files"] as? [[String: Any]]
    #expect(files?.first?["path"] as? String == "loss.svg")

    let fileDigest = try #require(files?.first?["digest"] as? String)
    let byDigest = try sandbox.vouch(["show", String(fileDigest.dropFirst(7).prefix(12))])
    #expect(byDigest.status == 0, "\(byDigest.stderr)")
    #expect(byDigest.stdout == "digest  \(fileDigest)\nstored  yes\nused by fig/loss.svg\n")
    let missing = try sandbox.vouch(["show", "nope"])
    #expect(missing.status == 64)
    #expect(
      missing.stderr
        == "vouch: error: no artifact at 'nope'; `vouch ls` lists the recorded artifacts\n")
  }
}
