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
