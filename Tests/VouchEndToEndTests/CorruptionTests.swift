import Foundation
import Testing
import VouchTestSupport

/// Stored bytes that no longer match their digest are caught by `check` and by `checkout`, moved
/// to `.vouch/quarantine/`, and healed by adding the intact files again.
@Suite struct CorruptionTests {
  @Test func flippedByteInEveryObjectIsCaughtAndHealsOnReAdd() throws {
    let sandbox = try Sandbox()
    // One whole-file object, a chunked file, and a folder (listing object + files).
    let originals: [(String, [UInt8])] = [
      ("small.txt", Array("small content".utf8)), ("big.bin", Sandbox.random(3 << 19, seed: 8)),
      ("d/x.txt", Array("x".utf8)),
    ]
    for (path, bytes) in originals { try sandbox.write(path, bytes) }
    #expect(try sandbox.vouch(["add", "small.txt", "big.bin", "d"]).status == 0)
    let objects = try sandbox.objectFiles()
    try #require(objects.count > 4)
    // The folder's listing object is only read by `check`: checkout works from the manifest.
    let list = try sandbox.vouch(["ls", "--json"])
    let rows = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
    let listings = Set(
      (rows ?? []).filter { $0["fileCount"] != nil }.compactMap {
        ($0["digest"] as? String)?.dropFirst(7)
      }
      .map(String.init))
    var generator = SeededGenerator(seed: 9)
    for object in objects {
      let path = ".vouch/objects/" + object
      let size = try sandbox.read(path).count
      let offset = Int(generator.next() % UInt64(size))
      try sandbox.flipByte(in: path, at: offset)
      let check = try sandbox.vouch(["check"])
      #expect(check.status == 12, "\(object): \(check.stdout)")
      #expect(check.stdout.contains("corrupt"), "\(object): \(check.stdout)")
      #expect(check.stdout.contains("quarantine"), "\(object): \(check.stdout)")
      #expect(!FileManager.default.fileExists(atPath: sandbox.root.path + "/" + path))
      let json = try sandbox.vouch(["check", "--json"])
      #expect(json.status == 12)
      let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
      let broken = report?["brokenArtifacts"] as? [String] ?? []
      #expect(!broken.isEmpty, "\(object) breaks no artifact: \(json.stdout)")
      // Checkout of a broken artifact fails with the integrity status and writes nothing bad.
      let isListing = listings.contains(String(object.split(separator: "/").last ?? ""))
      for artifact in broken where !isListing {
        try? FileManager.default.removeItem(at: sandbox.root.appendingPathComponent(artifact))
        let checkout = try sandbox.vouch(["checkout", artifact])
        #expect(checkout.status == 12, "\(artifact): \(checkout.stderr)")
        #expect(checkout.stderr.split(separator: "\n").count == 1)
      }
      // Adding the intact files again stores what was quarantined: the damage heals.
      for (path, bytes) in originals { try sandbox.write(path, bytes) }
      let readd = try sandbox.vouch(["add", "small.txt", "big.bin", "d"])
      #expect(readd.status == 0, "\(object): \(readd.stderr)")
      #expect(FileManager.default.fileExists(atPath: sandbox.root.path + "/" + path), "\(object)")
      #expect(try sandbox.vouch(["check"]).status == 0, "\(object)")
    }
    try sandbox.expectClean()
  }

  @Test func truncatedRecipeIsAnIntegrityFailure() throws {
    let sandbox = try Sandbox()
    try sandbox.write("big.bin", Sandbox.random(6 << 20, seed: 10))
    #expect(try sandbox.vouch(["add", "big.bin"]).status == 0)
    let recipe = try #require(try sandbox.recipeFiles().first)
    let url = sandbox.root.appendingPathComponent(".vouch/recipes/" + recipe)
    chmod(url.path, 0o644)
    let bytes = try Data(contentsOf: url)
    try bytes.prefix(bytes.count / 2).write(to: url)
    let check = try sandbox.vouch(["check"])
    #expect(check.status == 12)
    #expect(check.stdout.contains("big.bin"), "\(check.stdout)")
    try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("big.bin"))
    let checkout = try sandbox.vouch(["checkout"])
    #expect(checkout.status == 12, "\(checkout.stderr)")
    #expect(checkout.stderr.split(separator: "\n").count == 1)
    #expect(!FileManager.default.fileExists(atPath: sandbox.root.path + "/big.bin"))
  }

  @Test func missingObjectIsReported() throws {
    let sandbox = try Sandbox()
    try sandbox.write("a.txt", "alpha")
    #expect(try sandbox.vouch(["add", "a.txt"]).status == 0)
    let object = try #require(try sandbox.objectFiles().first)
    try FileManager.default.removeItem(
      at: sandbox.root.appendingPathComponent(".vouch/objects/" + object))
    let check = try sandbox.vouch(["check"])
    #expect(check.status == 12)
    #expect(check.stdout.contains("missing"), "\(check.stdout)")
    #expect(check.stdout.contains("a.txt"))
  }
}
