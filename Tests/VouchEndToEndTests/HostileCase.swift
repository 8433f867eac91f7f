import Foundation
import Testing
import VouchCore
import VouchTestSupport

/// The folders of one hostile case: the attacker's clone, the victim's clone and the sentinel
/// tree beside them, all under one temporary folder.
struct HostileFolders: Sendable {
  let attacker: URL
  let victim: URL
  let outside: URL

  /// A symlink target that leads into the sentinel tree from `location` (a path inside a clone):
  /// absolute, or relative through enough `..`.
  func target(from location: String, relative: Bool) -> String {
    guard relative else { return outside.path + "/sub" }
    let depth = location.split(separator: "/").count - 1
    return String(repeating: "../", count: depth + 1) + "../outside/sub"
  }
}

/// One hostile repository: what the attacker commits, what the victim does locally after the
/// clone, and whether a thread swaps a folder for a symlink during the pull.
struct HostileCase: Sendable {
  var name: String
  /// Edits the attacker's clone; returns ignored paths to commit with `git add -f`.
  var attack: @Sendable (HostileFolders) throws -> [String] = { _ in [] }
  /// Edits the victim's clone before `vouch init`.
  var local: @Sendable (HostileFolders) throws -> Void = { _ in }
  /// A folder of the victim's clone swapped with a symlink to outside while `vouch pull` runs.
  var race: String?

  /// Clones the base, attacks, commits, clones again as the victim, and runs `vouch init` and
  /// `vouch pull` there.
  func run(_ base: HostileBase) throws -> HostileOutcome {
    let work = try TemporaryDirectory(prefix: "case")
    let root = work.url.resolvingSymlinksInPath()
    let folders = HostileFolders(
      attacker: root.appendingPathComponent("attacker"),
      victim: root.appendingPathComponent("victim"), outside: root.appendingPathComponent("outside")
    )
    try work.write("outside/sentinel.txt", "do not touch")
    try work.write("outside/sub/authorized_keys", "ssh-ed25519 AAAA owner")
    try HostileBase.git(["clone", "-q", base.repository.path, "attacker"], in: root)
    try HostileBase.git(["config", "user.name", "Attacker"], in: folders.attacker)
    try HostileBase.git(["config", "user.email", "attacker@example.org"], in: folders.attacker)
    let forced = try attack(folders)
    try HostileBase.git(["add", "-A"], in: folders.attacker)
    if !forced.isEmpty { try HostileBase.git(["add", "-f"] + forced, in: folders.attacker) }
    try HostileBase.git(["commit", "-qm", name, "--allow-empty"], in: folders.attacker)
    try HostileBase.git(["clone", "-q", folders.attacker.path, "victim"], in: root)
    try local(folders)
    let before = try snapshot(folders.outside)
    var result = try VouchProcess.vouch(["init"], in: folders.victim)
    if result.status == 0 {
      let racer = race.map { Racer(folder: folders.victim.appendingPathComponent($0), folders) }
      racer?.start()
      result = try VouchProcess.vouch(["pull"], in: folders.victim)
      racer?.stop()
    }
    let after = try snapshot(folders.outside)
    return HostileOutcome(
      status: result.status,
      stderrLines: result.stderr.split(separator: "\n", omittingEmptySubsequences: true).count,
      outsideUnchanged: before == after, race: race != nil,
      detail: result.stdout + result.stderr)
  }

  /// Every entry under `root`: a file's SHA-256, a symlink's target, `dir` for a folder.
  private func snapshot(_ root: URL) throws -> [String: String] {
    var entries: [String: String] = [:]
    let manager = FileManager.default
    for case let relative as String in manager.enumerator(atPath: root.path) ?? .init() {
      let path = root.appendingPathComponent(relative).path
      switch try manager.attributesOfItem(atPath: path)[.type] as? FileAttributeType {
      case .typeDirectory?: entries[relative] = "dir"
      case .typeSymbolicLink?:
        entries[relative] = try manager.destinationOfSymbolicLink(atPath: path)
      default: entries[relative] = Digest.of(try Data(contentsOf: URL(fileURLWithPath: path))).hex
      }
    }
    return entries
  }
}

/// Swaps a folder with a symlink to the sentinel tree and back, over and over, until stopped.
final class Racer: @unchecked Sendable {
  private let folder: URL
  private let target: String
  private let lock = NSLock()
  private var running = true
  private let done = DispatchSemaphore(value: 0)

  init(folder: URL, _ folders: HostileFolders) {
    self.folder = folder
    target = folders.outside.path + "/sub"
  }

  func start() {
    Thread { [self] in
      let aside = folder.path + ".aside"
      while lock.withLock({ running }) {
        if rename(folder.path, aside) == 0 {
          symlink(target, folder.path)
          usleep(300)
          unlink(folder.path)
          rename(aside, folder.path)
        }
        usleep(300)
      }
      done.signal()
    }.start()
  }

  func stop() {
    lock.withLock { running = false }
    done.wait()
  }
}
