import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

/// Throughput measurement, not a timed test: it runs only when `VOUCH_STORE_MEASURE=<MiB>` is set
/// (use a release build: `swift test -c release -Xswiftc -enable-testing --filter Throughput`)
/// and prints MB/s for hashing, chunking and whole ingest. The official benchmark is
/// `Benchmarks/store.sh`.
@Suite struct ThroughputMeasurement {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["VOUCH_STORE_MEASURE"] != nil))
  func measure() throws {
    let mebibytes = Int(ProcessInfo.processInfo.environment["VOUCH_STORE_MEASURE"] ?? "") ?? 256
    let directory = try TemporaryDirectory(prefix: "measure")
    let store = try Store.create(at: directory.path(".vouch"))
    let file = directory.path("big.bin")
    FileManager.default.createFile(atPath: file.path, contents: nil)
    let handle = try FileHandle(forWritingTo: file)
    var generator = SeededGenerator(seed: 1)
    for _ in 0..<mebibytes { handle.write(Data(generator.bytes(1 << 20))) }
    try handle.close()
    let bytes = Double(mebibytes << 20)
    let data = try Data(contentsOf: file)

    func cpuSeconds() -> Double {
      var usage = rusage()
      getrusage(RUSAGE_SELF.rawValue, &usage)
      return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    func rate(_ body: () throws -> Void) rethrows -> Double {
      let start = Date()
      let cpu = cpuSeconds()
      try body()
      let wall = Date().timeIntervalSince(start)
      print("  wall \(wall) s, cpu \(cpuSeconds() - cpu) s")
      return bytes / wall / 1e6
    }
    let hash = data.withUnsafeBytes { buffer in rate { _ = StreamingHash.digest(of: buffer) } }
    let chunker = Chunker(store.chunking)
    var chunks = 0
    let chunking = data.withUnsafeBytes { buffer in
      rate {
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var offset = 0
        while offset < buffer.count {
          offset += chunker.cut(base + offset, count: min(buffer.count - offset, 256 << 10))
          chunks += 1
        }
      }
    }
    let ingest = try rate { _ = try store.ingest(file: file) }
    let reingest = try rate { _ = try store.ingest(file: file) }
    let out = directory.path("out.bin")
    let checkout = try rate { _ = try store.materialize(Digest.of(data), to: out, mode: .copy) }
    print(
      "measure \(mebibytes) MiB: sha256 \(Int(hash)) MB/s, fastcdc \(Int(chunking)) MB/s"
        + " (\(chunks) chunks), ingest \(Int(ingest)) MB/s, re-ingest \(Int(reingest)) MB/s,"
        + " checkout \(Int(checkout)) MB/s")
  }
}
