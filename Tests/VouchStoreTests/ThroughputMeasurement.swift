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
    var parameters = ChunkingParameters.standard
    if let sizes = ProcessInfo.processInfo.environment["VOUCH_STORE_CHUNKS"]?.split(separator: ",")
      .compactMap({ Int($0) }), sizes.count == 3
    {
      parameters = ChunkingParameters(
        minimumSize: sizes[0] << 10, averageSize: sizes[1] << 10, maximumSize: sizes[2] << 10,
        threshold: 1 << 20)
    }
    let store = try Store.create(at: directory.path(".vouch"), chunking: parameters)
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
    var edited = [UInt8](data)
    let blocks = edited.count / 4096
    for _ in 0..<(blocks / 100) {
      let block = Int(generator.next() % UInt64(blocks))
      for index in (block * 4096)..<(block * 4096 + 4096) { edited[index] ^= 0x5a }
    }
    let copy = directory.path("copy.bin")
    try Data(edited).write(to: copy)
    let changed = try store.ingest(file: copy)
    print(
      "1%-changed copy: \(changed.newBytes) new of \(changed.size)"
        + " (\(Double(changed.newBytes.value) * 100 / bytes) %)")
    print(
      "measure \(mebibytes) MiB: sha256 \(Int(hash)) MB/s, fastcdc \(Int(chunking)) MB/s"
        + " (\(chunks) chunks), ingest \(Int(ingest)) MB/s, re-ingest \(Int(reingest)) MB/s,"
        + " checkout \(Int(checkout)) MB/s")
  }
}

/// Peak memory while adding an existing large file: runs only when `VOUCH_STORE_RSS_FILE` names
/// the file; prints the process's peak RSS (getrusage ru_maxrss) before and after the ingest.
@Suite struct PeakMemoryMeasurement {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["VOUCH_STORE_RSS_FILE"] != nil))
  func measure() throws {
    let path = ProcessInfo.processInfo.environment["VOUCH_STORE_RSS_FILE"] ?? ""
    func peak() -> Int {
      var usage = rusage()
      getrusage(RUSAGE_SELF.rawValue, &usage)
      return usage.ru_maxrss / 1024
    }
    let directory = try TemporaryDirectory(prefix: "rss")
    let store = try Store.create(at: directory.path(".vouch"))
    let before = peak()
    let start = Date()
    let stored = try store.ingest(file: URL(fileURLWithPath: path))
    let seconds = Date().timeIntervalSince(start)
    print(
      "peak RSS: \(before) MiB before, \(peak()) MiB after adding \(stored.size)"
        + " (\(stored.chunkCount) chunks) in \(seconds) s")
    let again = Date()
    _ = try store.ingest(file: URL(fileURLWithPath: path))
    print("re-adding it (every chunk already stored): \(Date().timeIntervalSince(again)) s")
  }
}

/// A crash-safety driver for scripts: with `VOUCH_STORE_CRASH_STORE=<dir>` it opens (or creates)
/// the store there and, if `VOUCH_STORE_CRASH_FILE` is set, adds that file; otherwise it checks
/// the store and prints `check: clean` or the problems. A script kills the adding run with
/// SIGKILL at random moments and checks after each kill.
@Suite struct CrashDriver {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["VOUCH_STORE_CRASH_STORE"] != nil))
  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let directory = URL(fileURLWithPath: environment["VOUCH_STORE_CRASH_STORE"] ?? "")
    let store =
      FileManager.default.fileExists(atPath: directory.appendingPathComponent("config").path)
      ? try Store.open(at: directory) : try Store.create(at: directory)
    if let file = environment["VOUCH_STORE_CRASH_FILE"] {
      let stored = try store.ingest(file: URL(fileURLWithPath: file))
      print("added \(stored.digest)")
    } else {
      let report = try store.check()
      print(
        report.isClean ? "check: clean" : "check: \(report.problems) \(report.indexError ?? "")")
      print("unindexed: \(report.unindexedObjects)")
      if environment["VOUCH_STORE_CRASH_RESET"] != nil {
        // Empty the store so the next add starts from nothing again.
        let gc = try store.garbageCollect(keeping: [], dryRun: false)
        print("reset: \(gc.deleted.count) files")
      }
    }
  }
}
