import Dispatch

/// The engine's one seam to threads (Dispatch; no Foundation).
///
/// Work is always described as a fixed list of blocks whose boundaries do not depend on the thread
/// count; threads only decide *who* computes a block, never *how*, so results are identical for
/// any `threads`.
enum WorkerPool {
  /// Runs `body(block)` for every block in `0..<blocks`, on up to `threads` threads. Worker `w`
  /// takes blocks `w, w + threads, …` (a static schedule: no shared counter).
  static func run(blocks: Int, threads: Int, _ body: (Int) -> Void) {
    let workers = min(max(1, threads), blocks)
    if workers <= 1 {
      for block in 0..<blocks { body(block) }
      return
    }
    withoutActuallyEscaping(body) { body in
      let task = UnsafeSendableClosure(body)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var block = worker
        while block < blocks {
          task.body(block)
          block += workers
        }
      }
    }
  }
}

/// Carries a closure into `concurrentPerform`; each block writes a disjoint part of the output.
private struct UnsafeSendableClosure: @unchecked Sendable {
  let body: (Int) -> Void
  init(_ body: @escaping (Int) -> Void) { self.body = body }
}
