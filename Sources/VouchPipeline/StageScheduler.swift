import Foundation
import VouchLineage

/// Runs a pipeline's stages with up to `width` at a time, each as soon as the stages it depends
/// on have finished, always starting the earliest ready stage in execution order (so `width = 1`
/// is the serial order). Stages that do not depend on each other overlap: the organism's
/// trainings are one sequence per step and use about one core each, so two of them share a
/// 2-core machine instead of taking turns. Outputs do not depend on the order or the overlap —
/// every built-in stage's bits are independent of the thread count and of what runs beside it.
struct StageScheduler {
  /// The stages in execution order.
  let stages: [StageDefinition]
  /// For each stage, the indices of earlier stages whose outputs it reads.
  let dependencies: [[Int]]

  /// The schedule of `stages` (in execution order): stage `i` depends on an earlier stage `j`
  /// when one of its inputs is, contains or lies inside one of `j`'s outputs.
  init(_ stages: [StageDefinition]) {
    self.stages = stages
    dependencies = stages.indices.map { index in
      let inputs = stages[index].inputs.map(\.rawValue)
      return (0..<index).filter { earlier in
        stages[earlier].outputs.map(\.rawValue).contains { output in
          inputs.contains { Self.overlaps($0, output) }
        }
      }
    }
  }

  private static func overlaps(_ a: String, _ b: String) -> Bool {
    a == b || a.hasPrefix(b + "/") || b.hasPrefix(a + "/")
  }

  /// Runs `body` for every stage index, at most `width` at once. After a failure no new stage
  /// starts; the running ones finish, then the failure of the earliest stage (in execution
  /// order) is thrown.
  func run(width: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
    let state = State(count: stages.count)
    let width = max(1, width)
    state.condition.lock()
    while true {
      if state.failures.isEmpty, state.running < width, let next = nextReady(state) {
        state.phase[next] = .running
        state.running += 1
        let thread = Thread {
          let failure: (any Error)?
          do {
            try body(next)
            failure = nil
          } catch {
            failure = error
          }
          state.condition.lock()
          state.phase[next] = .done
          if let failure { state.failures[next] = failure }
          state.running -= 1
          state.condition.signal()
          state.condition.unlock()
        }
        // Stages recurse through models and JSON; the default secondary-thread stack is small.
        thread.stackSize = 16 << 20
        thread.start()
        continue
      }
      let finished = state.phase.allSatisfy { $0 == .done }
      if state.running == 0, finished || !state.failures.isEmpty || nextReady(state) == nil {
        break
      }
      state.condition.wait()
    }
    state.condition.unlock()
    if let first = state.failures.keys.min(), let failure = state.failures[first] {
      throw failure
    }
  }

  /// The earliest pending stage whose dependencies are done (called under the lock).
  private func nextReady(_ state: State) -> Int? {
    stages.indices.first { index in
      state.phase[index] == .pending && dependencies[index].allSatisfy { state.phase[$0] == .done }
    }
  }

  /// What the workers and the scheduling loop share, guarded by `condition`.
  private final class State: @unchecked Sendable {
    enum Phase { case pending, running, done }
    let condition = NSCondition()
    var phase: [Phase]
    var running = 0
    var failures: [Int: any Error] = [:]

    init(count: Int) { phase = Array(repeating: .pending, count: count) }
  }
}
