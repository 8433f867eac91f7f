import Foundation
import Testing
import VouchTestSupport

/// `vouch remote`, `push`, `fetch` and `pull` against filesystem remotes, run as the built binary.
@Suite struct RemoteCommandTests {
  /// A workspace with a chunked data file and a folder artifact, and a remote outside it
  /// registered as the default.
  private func populated() throws -> (Sandbox, TemporaryDirectory) {
    let sandbox = try Sandbox()
    try sandbox.write("data/big.bin", Sandbox.random(3 << 20, seed: 31))
    try sandbox.write("models/m/config.json", #"{"hidden_size": 8}"#)
    try sandbox.write("models/m/weights.bin", Sandbox.random(70_000, seed: 32))
    let add = try sandbox.vouch(["add", "data/big.bin", "models/m"])
    try #require(add.status == 0, "\(add.stderr)")
    let shared = try TemporaryDirectory(prefix: "remote")
    let remote = shared.url.appendingPathComponent("lab").path
    let added = try sandbox.vouch(["remote", "add", "lab", remote, "--default"])
    try #require(added.status == 0, "\(added.stderr)")
    return (sandbox, shared)
  }

  /// A second workspace holding a copy of `sandbox`'s manifests (a fresh clone).
  private func clone(of sandbox: Sandbox) throws -> Sandbox {
    let other = try Sandbox()
    let copy = try other.shell("cp -R '\(sandbox.root.path)/manifests/.' manifests/")
    try #require(copy.status == 0, "\(copy.stderr)")
    return other
  }

  private func json(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func pushThenPullIntoACloneIsByteIdentical() throws {
    let (sandbox, shared) = try populated()
    let push = try sandbox.vouch(["push", "--json"])
    #expect(push.status == 0, "\(push.stderr)")
    let sent = try json(push.stdout)
    #expect((sent["transferred"] as? Int ?? 0) > 3)
    #expect(sent["present"] as? Int == 0)
    #expect(sent["remote"] as? String == "lab")
    #expect(FileManager.default.fileExists(atPath: shared.path("lab/vouch-remote.json").path))

    let again = try sandbox.vouch(["push", "--json"])
    #expect(again.status == 0)
    let second = try json(again.stdout)
    #expect(second["transferred"] as? Int == 0)
    #expect(second["present"] as? Int == sent["transferred"] as? Int)

    let other = try clone(of: sandbox)
    let pull = try other.vouch(["pull"])
    #expect(pull.status == 0, "\(pull.stderr)")
    #expect(pull.stdout.contains("restored  data/big.bin"))
    for path in ["data/big.bin", "models/m/config.json", "models/m/weights.bin"] {
      #expect(try other.read(path) == sandbox.read(path), "\(path)")
    }
    #expect(try other.vouch(["verify"]).status == 0)
    try other.expectClean()
    let refetch = try other.vouch(["fetch", "--json"])
    #expect(try json(refetch.stdout)["transferred"] as? Int == 0)
  }

  @Test func fetchOfNamedPathsBringsOnlyThose() throws {
    let (sandbox, shared) = try populated()
    defer { withExtendedLifetime(shared) {} }
    #expect(try sandbox.vouch(["push"]).status == 0)
    let other = try clone(of: sandbox)
    let fetch = try other.vouch(["fetch", "models/m/config.json"])
    #expect(fetch.status == 0, "\(fetch.stderr)")
    // The file and its folder's listing, which checkout checks the file list against.
    #expect(fetch.stdout.contains("received 2 object(s)"), "\(fetch.stdout)")
    let checkout = try other.vouch(["checkout", "models/m/config.json"])
    #expect(checkout.status == 0, "\(checkout.stderr)")
    #expect(try other.vouch(["checkout", "data/big.bin"]).status == 12)
  }

  @Test func pullWarnsAboutWhatTheRemoteLacksLikeFetch() throws {
    let (sandbox, shared) = try populated()
    defer { withExtendedLifetime(shared) {} }
    #expect(try sandbox.vouch(["push", "data/big.bin"]).status == 0)
    let other = try clone(of: sandbox)
    let pull = try other.vouch(["pull"])
    #expect(pull.stderr.contains("not transferred because the remote lacks them"), "\(pull.stderr)")
    #expect(try other.read("data/big.bin") == sandbox.read("data/big.bin"))
    #expect(pull.status == 12, "checkout of models/m needs content no store has")
  }

  @Test func aCorruptRemoteObjectIsReportedWithTheArtifactItBreaks() throws {
    let (sandbox, shared) = try populated()
    #expect(try sandbox.vouch(["push"]).status == 0)
    let weights = try sandbox.shell("sha256sum models/m/weights.bin | cut -c1-64").stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let object = "lab/objects/sha256/\(weights.prefix(2))/\(weights)"
    let url = shared.path(object)
    chmod(url.path, 0o644)
    var bytes = try Data(contentsOf: url)
    bytes[100] ^= 0x01
    try bytes.write(to: url)

    let other = try clone(of: sandbox)
    let fetch = try other.vouch(["fetch"])
    #expect(fetch.status == 12)
    #expect(fetch.stdout.contains("corrupt  object sha256:\(weights)"), "\(fetch.stdout)")
    #expect(fetch.stdout.contains("models/m/weights.bin"))
    #expect(fetch.stderr.contains("damaged object(s) in the remote 'lab'"), "\(fetch.stderr)")
    #expect(
      !FileManager.default.fileExists(
        atPath: other.root.appendingPathComponent(
          ".vouch/objects/sha256/\(weights.prefix(2))/\(weights)"
        ).path))
    // The store holds only intact objects: `check` finds the weights missing, nothing corrupt.
    let check = try other.vouch(["check"])
    #expect(check.status == 12)
    #expect(!check.stdout.contains("corrupt"), "\(check.stdout)")
    #expect(try other.temporaryFiles().isEmpty)
    // Everything else arrived.
    #expect(try other.vouch(["checkout", "data/big.bin"]).status == 0)
    #expect(try other.vouch(["pull"]).status == 12)
  }

  @Test func aKilledPushLeavesOnlyCompleteObjects() throws {
    let sandbox = try Sandbox()
    try sandbox.write("big.bin", Sandbox.random(24 << 20, seed: 33))
    #expect(try sandbox.vouch(["add", "big.bin"]).status == 0)
    let shared = try TemporaryDirectory(prefix: "remote")
    let remote = shared.url.appendingPathComponent("lab")
    #expect(try sandbox.vouch(["remote", "add", "lab", remote.path]).status == 0)
    // Time one complete push to a scratch remote to know the window to kill in.
    let probe = shared.url.appendingPathComponent("probe")
    #expect(try sandbox.vouch(["remote", "add", "probe", probe.path]).status == 0)
    let started = Date()
    #expect(try sandbox.vouch(["push", "--remote", "probe"]).status == 0)
    let duration = Date().timeIntervalSince(started)
    var generator = SeededGenerator(seed: 34)
    var killed = 0
    for round in 0..<6 {
      // Each round does the probe's full work: empty the remote (its marker stays), so kills land
      // on half-sent pushes. Kills fall in the first 80% of the probe's duration.
      let emptied = try sandbox.shell(
        "find '\(remote.path)/objects' '\(remote.path)/recipes' -type f -delete 2>/dev/null; true")
      #expect(emptied.status == 0)
      let delay = Double(generator.next() % 1000) / 1000 * duration * 0.8
      if try sandbox.vouchKilled(["push", "--remote", "lab"], after: delay) { killed += 1 }
      // Every visible object hashes to its name; no recipe is visible without all its chunks.
      let verify = try VouchProcess.run(
        URL(fileURLWithPath: "/bin/sh"),
        [
          "-c",
          """
          cd '\(remote.path)' && for f in objects/sha256/*/*; do [ -e "$f" ] || continue; \
          [ "$(sha256sum "$f" | cut -c1-64)" = "$(basename "$f")" ] || echo "bad $f"; done; \
          for r in recipes/sha256/*/*; do [ -e "$r" ] || continue; \
          grep -o '"digest":"sha256:[0-9a-f]*","size"' "$r" | cut -c18-81 | while read c; do \
          [ -e "objects/sha256/$(echo $c | cut -c1-2)/$c" ] || echo "orphan $r"; done; done
          """,
        ], in: sandbox.root)
      #expect(verify.stdout.isEmpty, "round \(round), killed after \(delay) s: \(verify.stdout)")
    }
    #expect(killed >= 3, "only \(killed) of 6 pushes were still going when killed")
    let finish = try sandbox.vouch(["push", "--remote", "lab", "--json"])
    #expect(finish.status == 0, "\(finish.stderr)")
    let other = try Sandbox()
    #expect(try other.shell("cp -R '\(sandbox.root.path)/manifests/.' manifests/").status == 0)
    #expect(try other.vouch(["pull", "--remote", "lab"]).status == 0)
    #expect(try other.read("big.bin") == sandbox.read("big.bin"))
  }

  @Test func remoteAddListRemove() throws {
    let sandbox = try Sandbox()
    #expect(try sandbox.vouch(["remote", "list"]).stdout.contains("no remotes"))
    #expect(try sandbox.vouch(["remote", "add", "here", "shared/objects"]).status == 0)
    #expect(
      try sandbox.vouch(["remote", "add", "abs", "/tmp/../\(sandbox.root.path)/x", "--default"])
        .status == 0)
    let list = try sandbox.vouch(["remote", "list", "--json"])
    #expect(list.status == 0)
    let rows = try #require(
      JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    #expect(rows.map { $0["name"] as? String } == ["abs", "here"])
    #expect(rows.last?["path"] as? String == "shared/objects")
    #expect(rows.first?["path"] as? String == "x")
    #expect(rows.first?["isDefault"] as? Bool == true)
    let toml = try String(
      contentsOf: sandbox.root.appendingPathComponent("manifests/remotes.toml"), encoding: .utf8)
    #expect(toml.contains(#"default = "abs""#))
    #expect(try sandbox.vouch(["remote", "remove", "abs"]).status == 0)
    let text = try sandbox.vouch(["remote", "list"]).stdout
    #expect(text == "here  shared/objects\n")
  }

  @Test func withoutADefaultTheOnlyRemoteIsUsedAndSeveralAreAnError() throws {
    let sandbox = try Sandbox()
    try sandbox.write("a.txt", "alpha")
    #expect(try sandbox.vouch(["add", "a.txt"]).status == 0)
    #expect(try sandbox.vouch(["remote", "add", "one", "remotes/one"]).status == 0)
    let push = try sandbox.vouch(["push"])
    #expect(push.status == 0, "\(push.stderr)")
    #expect(push.stdout.contains("push 'one'"))
    #expect(try sandbox.vouch(["remote", "add", "two", "remotes/two"]).status == 0)
    let ambiguous = try sandbox.vouch(["push"])
    #expect(ambiguous.status == 64)
    #expect(ambiguous.stderr.contains("several remotes (one, two) and no default"))
    let named = try sandbox.vouch(["push", "--remote", "two", "a.txt", "--json"])
    #expect(named.status == 0)
    #expect(try json(named.stdout)["transferred"] as? Int == 1)
  }

  @Test func badInputsGiveOneLineErrorsAndStatuses() throws {
    let (sandbox, shared) = try populated()
    func expectError(_ arguments: [String], _ status: Int32, _ fragment: String) throws {
      let result = try sandbox.vouch(arguments)
      #expect(result.status == status, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains(fragment), "\(arguments): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
    }
    try expectError(["push", "--remote", "nope"], 64, "no remote named 'nope'")
    try expectError(["fetch", "no/such/artifact"], 64, "no artifact at 'no/such/artifact'")
    try expectError(["remote", "add", "lab", "elsewhere"], 64, "already exists")
    try expectError(["remote", "add", "bad name", "elsewhere"], 64, "may only use letters")
    try expectError(["remote", "remove", "ghost"], 64, "no remote named 'ghost'")
    try sandbox.write("notes/readme.txt", "not a remote")
    try expectError(
      ["remote", "add", "notes", "notes"], 64, "is not empty and is not a vouch remote")
    try FileManager.default.removeItem(at: shared.path("lab"))
    try expectError(["push"], 64, "does not exist")
    try FileManager.default.createDirectory(
      at: shared.path("lab"), withIntermediateDirectories: true)
    try "x".write(to: shared.path("lab/file"), atomically: true, encoding: .utf8)
    try expectError(["fetch"], 64, "is not a vouch remote")
    let fresh = try Sandbox()
    let none = try fresh.vouch(["push"])
    #expect(none.status == 64)
    #expect(none.stderr.contains("no remote is configured"))
    let outside = try TemporaryDirectory()
    #expect(try VouchProcess.vouch(["fetch"], in: outside.url).status == 10)
  }

  @Test(
    arguments: [
      "push", "fetch", "pull", "remote", "remote add", "remote list", "remote check", "remote gc",
    ])
  func helpReadsWell(command: String) throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(
      command.split(separator: " ").map(String.init) + ["--help"], in: directory.url)
    #expect(result.status == 0)
    let overview = result.stdout.components(separatedBy: "\n\n").first ?? ""
    #expect(overview.hasPrefix("OVERVIEW: "))
    #expect(overview.hasSuffix("."))
    #expect(overview.filter { $0 == "." }.count == 1, "\(overview)")
    if ["push", "fetch", "pull", "remote check", "remote gc"].contains(command) {
      #expect(result.stdout.contains("Exit status"))
      #expect(result.stdout.contains("--remote"))
      #expect(result.stdout.contains("--json"))
    }
  }
}
