import Foundation
import Testing
import VouchTestSupport

/// Several `vouch add` processes at once: 4 on different files and 2 on the same file.
@Suite struct ConcurrencyTests {
  @Test func parallelAddsStoreEveryObjectOnce() throws {
    let sandbox = try Sandbox()
    for index in 0..<4 {
      try sandbox.write("f\(index).bin", Sandbox.random(6 << 20, seed: 20 + UInt64(index)))
    }
    try sandbox.write("shared.bin", Sandbox.random(6 << 20, seed: 30))
    let jobs = ["f0.bin", "f1.bin", "f2.bin", "f3.bin", "shared.bin", "shared.bin"]
    let results = Results()
    // One thread per process, all started before any is awaited, so the adds really overlap.
    let group = DispatchGroup()
    for job in jobs {
      group.enter()
      Thread {
        let result = try? sandbox.vouch(["add", job])
        results.append(result?.status ?? -1, result?.stderr ?? "did not run")
        group.leave()
      }.start()
    }
    group.wait()
    for (status, stderr) in results.all { #expect(status == 0, "\(stderr)") }
    try sandbox.expectClean()
    let ignore = try String(decoding: sandbox.read(".gitignore"), as: UTF8.self)
    #expect(
      ignore.split(separator: "\n").sorted() == [
        "/.vouch/", "/f0.bin", "/f1.bin", "/f2.bin", "/f3.bin", "/shared.bin",
      ])
    #expect(try sandbox.vouch(["ls"]).stdout.split(separator: "\n").count == 5)
    // Objects are files named by their digest: each exists once; the index agrees with disk.
    let objects = try sandbox.objectFiles()
    #expect(Set(objects).count == objects.count)
    let check = try sandbox.vouch(["check", "--json"])
    let report = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
    #expect(report?["objectsChecked"] as? Int == objects.count, "\(check.stdout)")
    // Everything can be rebuilt from the store.
    for job in Set(jobs) {
      try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent(job))
    }
    #expect(try sandbox.vouch(["checkout"]).status == 0)
    #expect(try sandbox.read("shared.bin") == Data(Sandbox.random(6 << 20, seed: 30)))
  }
}

/// Thread-safe collection of (status, stderr) pairs.
final class Results: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [(Int32, String)] = []
  func append(_ status: Int32, _ stderr: String) {
    lock.withLock { items.append((status, stderr)) }
  }
  var all: [(Int32, String)] { lock.withLock { items } }
}

/// Finding 6.2: two `vouch run` in one workspace never run stage commands at once, and neither
/// records the other's output as its own.
@Suite struct ConcurrentRunTests {
  @Test func row6_2TwoRunsTakeTurnsAndRecordTheirOwnOutput() throws {
    let sandbox = try Sandbox.pipeline(example: false)
    // The trace lives outside the work tree, where it would count as a code change.
    let traceFolder = try TemporaryDirectory(prefix: "trace")
    let trace = traceFolder.url.appendingPathComponent("trace.txt").path
    try sandbox.write(
      "nondet.sh",
      """
      set -eu
      echo "start $$ $(date +%s.%N)" >> \(trace)
      sleep 1.5
      mkdir -p nd
      echo "{\\"v\\": $(od -An -N4 -tu4 /dev/urandom | tr -d ' '), \\"pid\\": $$}" > nd/out.json
      sleep 0.5
      echo "end $$ $(date +%s.%N)" >> \(trace)
      """)
    try sandbox.write(
      "manifests/nd.pipeline.toml",
      """
      schemaVersion = 1
      [stages.nd]
      command = "sh nondet.sh"
      inputs = ["nondet.sh"]
      outputs = ["nd/out.json"]
      """)
    try sandbox.git(["add", "-A"])
    try sandbox.git(["commit", "-qm", "nd"])
    let results = Results()
    let outputs = OutputLines()
    let group = DispatchGroup()
    for delay in [0.0, 0.5] {
      group.enter()
      Thread {
        usleep(useconds_t(delay * 1_000_000))
        let result = try? sandbox.vouch(["run", "--pipeline", "nd"])
        results.append(result?.status ?? -1, result?.stderr ?? "did not run")
        outputs.append(result?.stdout ?? "")
        group.leave()
      }.start()
    }
    group.wait()
    for (status, stderr) in results.all { #expect(status == 0, "\(stderr)") }
    // The commands ran one after the other: the second found the stage up to date.
    let lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: trace)), as: UTF8.self)
      .split(separator: "\n")
    #expect(lines.count == 2, "\(lines)")
    #expect(lines.first?.hasPrefix("start") == true && lines.last?.hasPrefix("end") == true)
    let printed = outputs.all.joined()
    #expect(printed.contains("ran        nd:nd"), "\(printed)")
    #expect(printed.contains("up-to-date nd:nd"), "\(printed)")
    // What the lock records is what the command that ran wrote.
    #expect(try sandbox.vouch(["status"]).stdout.contains("1 artifact(s), all up to date"))
    #expect(try sandbox.vouch(["verify"]).status == 0)
  }
}

/// Thread-safe collection of standard outputs.
final class OutputLines: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [String] = []
  func append(_ text: String) { lock.withLock { items.append(text) } }
  var all: [String] { lock.withLock { items } }
}
