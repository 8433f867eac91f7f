import Foundation
import Testing
import VouchLineage

@testable import VouchPipeline

/// The reproduction scheduler: dependencies from inputs and outputs, at most `width` stages at
/// once, serial order at width 1, and the earliest failure thrown with nothing new started.
@Suite struct StageSchedulerTests {
  /// `a` → (`b`, `c`) → `d`; `e` independent.
  static func stages() throws -> [StageDefinition] {
    let text = """
      schemaVersion = 1
      [stages.a]
      command = "true"
      outputs = ["data/a"]
      [stages.b]
      command = "true"
      inputs = ["data/a/part"]
      outputs = ["data/b.json"]
      [stages.c]
      command = "true"
      inputs = ["data"]
      outputs = ["out/c.json"]
      [stages.d]
      command = "true"
      inputs = ["data/b.json", "out/c.json"]
      outputs = ["out/d.json"]
      [stages.e]
      command = "true"
      outputs = ["out/e.json"]
      """
    let pipeline = try PipelineDefinition.parse(
      text, name: "p", file: "p.pipeline.toml", vocabulary: PipelineCatalog.vocabulary)
    return try ["a", "b", "c", "d", "e"].map { try #require(pipeline.stage(named: $0)) }
  }

  @Test func dependenciesComeFromOverlappingPaths() throws {
    let scheduler = StageScheduler(try Self.stages())
    #expect(scheduler.dependencies == [[], [0], [0, 1], [1, 2], []])
  }

  @Test func widthOneIsTheSerialOrderAndWidthTwoOverlaps() throws {
    let scheduler = StageScheduler(try Self.stages())
    let log = EventLog()
    try scheduler.run(width: 1) { index in log.append("start \(index)", "end \(index)") }
    #expect(
      log.events == (0..<5).flatMap { ["start \($0)", "end \($0)"] }, "\(log.events)")

    let overlap = EventLog()
    try scheduler.run(width: 2) { index in
      overlap.begin()
      Thread.sleep(forTimeInterval: 0.05)
      overlap.finish(index)
    }
    #expect(overlap.peak == 2)
    let order = overlap.finished
    #expect(Set(order) == Set(0..<5))
    for (stage, needs) in scheduler.dependencies.enumerated() {
      for need in needs {
        #expect(order.firstIndex(of: need)! < order.firstIndex(of: stage)!)
      }
    }
  }

  @Test func theEarliestFailureIsThrownAndNothingStartsAfterIt() throws {
    struct Failure: Error, Equatable { var stage: Int }
    let scheduler = StageScheduler(try Self.stages())
    let started = EventLog()
    #expect(throws: Failure(stage: 1)) {
      try scheduler.run(width: 2) { index in
        started.finish(index)
        if index == 1 { throw Failure(stage: 1) }
        if index == 4 {
          Thread.sleep(forTimeInterval: 0.05)
          throw Failure(stage: 4)
        }
      }
    }
    // b failed, so neither c nor d (which need it) started.
    #expect(!started.finished.contains(2) && !started.finished.contains(3))
  }
}

/// A thread-safe record of what the scheduled bodies did.
private final class EventLog: @unchecked Sendable {
  private let lock = NSLock()
  private var log: [String] = []
  private var done: [Int] = []
  private var running = 0
  private var highest = 0

  func append(_ entries: String...) { lock.withLock { log += entries } }
  func begin() {
    lock.withLock {
      running += 1
      highest = max(highest, running)
    }
  }
  func finish(_ index: Int) {
    lock.withLock {
      running = max(0, running - 1)
      done.append(index)
    }
  }
  var events: [String] { lock.withLock { log } }
  var finished: [Int] { lock.withLock { done } }
  var peak: Int { lock.withLock { highest } }
}
