import Foundation
import Testing
import VouchTestSupport

extension HostileCase {
  /// A path field of a manifest kind and how to set it.
  struct Field: Sendable {
    var name: String
    /// The file, relative to the repository.
    var file: String
    /// Puts `value` into the decoded document.
    var set: @Sendable (inout [String: Any], String) throws -> Void
  }

  /// Every path field of every manifest kind the base repository has.
  static func fields(_ base: HostileBase) -> [Field] {
    let lock = "manifests/h.lock.json"
    let record = base.runRecord
    @Sendable func renameKey(_ key: String, in object: inout [String: Any], to value: String) {
      guard var map = object[key] as? [String: Any], let first = map.keys.sorted().first else {
        return
      }
      map[value] = map.removeValue(forKey: first)
      object[key] = map
    }
    @Sendable func setSource(in object: inout [String: Any], _ value: String) {
      guard var claims = object["claims"] as? [[String: Any]], !claims.isEmpty else { return }
      claims[0]["source"] = value
      object["claims"] = claims
    }
    @Sendable func inLockStage(
      _ object: inout [String: Any], _ body: (inout [String: Any]) -> Void
    ) {
      guard var stages = object["stages"] as? [String: Any],
        var stage = stages["s"] as? [String: Any]
      else { return }
      body(&stage)
      stages["s"] = stage
      object["stages"] = stages
    }
    return [
      Field(name: "file manifest path", file: "manifests/artifacts/a/b/c/f.txt.json") {
        $0["path"] = $1
      },
      Field(name: "output manifest path", file: "manifests/artifacts/out/r.json.json") {
        $0["path"] = $1
      },
      Field(name: "folder manifest path", file: "manifests/artifacts/d/e.json") { $0["path"] = $1 },
      Field(name: "folder manifest files[].path", file: "manifests/artifacts/d/e.json") {
        object, value in
        guard var files = object["files"] as? [[String: Any]], files.count > 1 else { return }
        files[1]["path"] = value
        object["files"] = files
      },
      Field(name: "lock outputs", file: lock) { object, value in
        inLockStage(&object) { renameKey("outputs", in: &$0, to: value) }
      },
      Field(name: "lock inputs", file: lock) { object, value in
        inLockStage(&object) { renameKey("inputs", in: &$0, to: value) }
      },
      Field(name: "lock claim source", file: lock) { object, value in
        inLockStage(&object) { setSource(in: &$0, value) }
      },
      Field(name: "run record outputs", file: record) { renameKey("outputs", in: &$0, to: $1) },
      Field(name: "run record inputs", file: record) { renameKey("inputs", in: &$0, to: $1) },
      Field(name: "run record claim source", file: record) { setSource(in: &$0, $1) },
    ]
  }

  /// A non-canonical or escaping path, chosen by `generator`; `outside` is the sentinel tree.
  static func hostilePath(_ generator: inout SeededGenerator, outside: String) -> String {
    let ups = String(repeating: "../", count: Int(generator.next() % 5) + 1)
    let templates = [
      ups + "outside/sub/authorized_keys", "x/" + ups + "outside/pwn", outside + "/sub/pwn",
      "/etc/passwd", "./a/b/c/f.txt", "d//e", "d/e/", ".git/hooks/post-checkout",
      "sub/.GIT/config", ".vouch/objects/sha256/aa/x", "a\\..\\..\\x", "a\u{01}b", "line\nbreak",
      String(repeating: "x", count: 300), "", ".", "a/./b", "..",
    ]
    return templates[Int(generator.next() % UInt64(templates.count))]
  }

  /// At least 200 cases: seeded path edits, then symlinks committed, made locally and raced at
  /// every depth, then symlinks in place of the folders vouch itself uses.
  static func all(base: HostileBase, generator: inout SeededGenerator) -> [HostileCase] {
    var cases: [HostileCase] = []
    let fields = fields(base)
    for index in 0..<160 {
      let field = fields[Int(generator.next() % UInt64(fields.count))]
      let seed = generator.next()
      cases.append(
        HostileCase(name: "edit \(index): \(field.name)") { folders in
          var local = SeededGenerator(seed: seed)
          let value = hostilePath(&local, outside: folders.outside.path)
          let url = folders.attacker.appendingPathComponent(field.file)
          var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
          try field.set(&object, value)
          try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: url)
          return []
        })
    }
    for folder in HostileBase.folders {
      for relative in [false, true] {
        let style = relative ? "relative" : "absolute"
        cases.append(
          HostileCase(name: "committed \(style) symlink at \(folder)") { folders in
            try makeSymlink(
              at: folder, in: folders.attacker, to: folders.target(from: folder, relative: relative)
            )
            return [folder]
          })
        cases.append(
          HostileCase(
            name: "local \(style) symlink at \(folder)",
            local: { folders in
              try makeSymlink(
                at: folder, in: folders.victim, to: folders.target(from: folder, relative: relative)
              )
            }))
      }
      cases.append(
        HostileCase(
          name: "race at \(folder)",
          local: { folders in
            for other in HostileBase.folders {
              try FileManager.default.createDirectory(
                at: folders.victim.appendingPathComponent(other), withIntermediateDirectories: true)
            }
          }, race: folder))
    }
    for folder in [
      ".vouch", ".vouch/objects", "manifests", "manifests/artifacts", "manifests/runs",
    ] {
      cases.append(
        HostileCase(name: "committed symlink at \(folder)") { folders in
          if folder.hasPrefix("manifests") {
            // The sentinel tree gets a copy of what the symlink hides, so vouch finds manifests.
            try FileManager.default.copyItem(
              at: folders.attacker.appendingPathComponent(folder),
              to: folders.outside.appendingPathComponent("sub/copy"))
          }
          try? FileManager.default.removeItem(at: folders.attacker.appendingPathComponent(folder))
          try makeSymlink(at: folder, in: folders.attacker, to: folders.outside.path + "/sub/copy")
          return [folder]
        })
    }
    cases.append(
      HostileCase(name: "committed symlink at .gitignore") { folders in
        try FileManager.default.removeItem(
          at: folders.attacker.appendingPathComponent(".gitignore"))
        try makeSymlink(
          at: ".gitignore", in: folders.attacker, to: folders.outside.path + "/sentinel.txt")
        return [".gitignore"]
      })
    return cases
  }

  /// Replaces whatever is at `location` inside `root` with a symlink to `target`.
  static func makeSymlink(at location: String, in root: URL, to target: String) throws {
    let url = root.appendingPathComponent(location)
    try? FileManager.default.removeItem(at: url)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
  }
}
