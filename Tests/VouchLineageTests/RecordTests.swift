import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchLineage

@Suite struct RecordTests {
  static let lockFile = "manifests/metric.lock.json"

  func record(parameters: [String: ParameterValue] = ["rows": .integer(3)]) throws -> RunRecord {
    try RunRecord(
      pipeline: "metric", stage: "make-data", kind: .command, command: "python3 make.py",
      inputs: ["make.py": Digest.of(Data("code".utf8))], parameters: parameters, seed: 7,
      code: CodeState(
        commit: try GitObjectID(hex: String(repeating: "ab", count: 20)), dirty: false),
      engine: EngineFingerprint(["vouch": "0.1.0", "arch": "x86_64"]),
      outputPaths: ["data/points.csv"])
  }

  @Test func exactFloatsRoundTripTheirBits() throws {
    var generator = SeededGenerator(seed: 42)
    for _ in 0..<2_000 {
      let bits = generator.next()
      let value = Double(bitPattern: bits)
      guard let exact = ExactFloat(value) else {
        #expect(!value.isFinite)
        continue
      }
      let back = try #require(ExactFloat(parsing: exact.text))
      #expect(back.value.bitPattern == value.bitPattern, "\(exact.text)")
    }
    #expect(ExactFloat(0.1)?.text == "0.1")
    #expect(ExactFloat(1e-9)?.text == "1e-09")
    #expect(ExactFloat(.nan) == nil)
    #expect(ExactFloat(.infinity) == nil)
    let json = try CanonicalJSON.data(for: ["v": try #require(ExactFloat(0.30000000000000004))])
    #expect(String(decoding: json, as: UTF8.self) == "{\"v\":\"0.30000000000000004\"}")
  }

  @Test func runKeyCoversInputsButNotOutputsClaimsOrTimes() throws {
    let base = try record()
    #expect(try base.computedRunKey() == base.runKey)
    var produced = base
    produced.outputs["data/points.csv"] = Digest.of(Data("rows".utf8))
    produced.startedAt = "2026-01-01T00:00:00.000Z"
    produced.wallTimeSeconds = ExactFloat(1.25)
    #expect(try produced.computedRunKey() == base.runKey)
    #expect(try record(parameters: ["rows": .integer(4)]).runKey != base.runKey)
    var dirty = base
    dirty.code.dirty = true
    #expect(try dirty.computedRunKey() != base.runKey)
    var reseeded = base
    reseeded.seed = 8
    #expect(try reseeded.computedRunKey() != base.runKey)
  }

  @Test func lockIsCanonicalAndTimeFree() throws {
    var first = try record()
    first.outputs["data/points.csv"] = Digest.of(Data("rows".utf8))
    first.startedAt = "2026-01-01T00:00:00.000Z"
    first.wallTimeSeconds = ExactFloat(3)
    var second = first
    second.startedAt = "2027-05-05T10:00:00.000Z"
    second.wallTimeSeconds = ExactFloat(9.5)
    var lockA = PipelineLock(pipeline: "metric")
    lockA.stages["make-data"] = first
    var lockB = PipelineLock(pipeline: "metric")
    lockB.stages["make-data"] = second
    let bytes = try lockA.encoded()
    #expect(bytes == (try lockB.encoded()))
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(!text.contains("startedAt"))
    #expect(text.hasSuffix("}\n"))
    #expect(text.contains("\n  \"pipeline\": \"metric\""))
    let decoded = try PipelineLock.decode(bytes, file: Self.lockFile)
    #expect(decoded.stages["make-data"] == first.withoutTimes)
    #expect(try decoded.encoded() == bytes)
    // Full run records keep their times.
    let full = try RunRecord.decode(try first.encoded(), file: "manifests/runs/x.json")
    #expect(full.startedAt == first.startedAt)
  }

  func lockFailure(_ edit: (String) -> String) throws -> String {
    var run = try record()
    run.outputs["data/points.csv"] = Digest.of(Data("rows".utf8))
    var lock = PipelineLock(pipeline: "metric")
    lock.stages["make-data"] = run
    let text = edit(String(decoding: try lock.encoded(), as: UTF8.self))
    do {
      _ = try PipelineLock.decode(Data(text.utf8), file: Self.lockFile)
      return "no error"
    } catch let error as LineageError {
      return error.message
    }
  }

  @Test func lockRejectsBadDigestsVersionsAndPaths() throws {
    let shortDigest = try lockFailure { text in
      let digest = Digest.of(Data("rows".utf8)).hex
      return text.replacingOccurrences(of: digest, with: String(digest.prefix(60)))
    }
    #expect(
      shortDigest.hasPrefix(Self.lockFile + ": key 'stages.make-data.outputs.data/points.csv'"))
    #expect(shortDigest.contains("expected 64 hex characters, got 60"))
    let version = try lockFailure {
      $0.replacingOccurrences(
        of: "\"schemaVersion\": 2,\n  \"stages\"", with: "\"schemaVersion\": 3,\n  \"stages\"")
    }
    #expect(version.contains("key 'schemaVersion': unknown lock schema version 3"), "\(version)")
    let escape = try lockFailure {
      $0.replacingOccurrences(of: "\"data/points.csv\"", with: "\"../points.csv\"")
    }
    #expect(escape.contains("key 'stages.make-data.outputs'"), "\(escape)")
    #expect(escape.contains("'../points.csv' uses '..'"), "\(escape)")
  }

  @Test func claimValueDigestsAreCanonical() throws {
    let definition = ClaimDefinition(
      name: "mean", unit: "", artifact: try WorkspacePath(validating: "r.json", location: "t"),
      source: .jsonPath(try #require(JSONPath("$.mean"))), tolerance: .exact, direction: nil)
    let value = try #require(ExactFloat(0.25))
    let claim = ClaimRecord(definition: definition, value: value, sourceDigest: .of(Data()))
    #expect(claim.valueDigest == Digest.of(try CanonicalJSON.data(for: value)))
    #expect(claim.isConsistent)
    var edited = claim
    edited.value = try #require(ExactFloat(0.26))
    #expect(!edited.isConsistent)
  }

  @Test func tolerancesAndDirections() throws {
    let abs = Tolerance(absolute: ExactFloat(0.01), relative: nil)
    #expect(abs.admits(recorded: 1.0, reproduced: 1.005, direction: nil))
    #expect(!abs.admits(recorded: 1.0, reproduced: 1.02, direction: nil))
    let rel = Tolerance(absolute: nil, relative: ExactFloat(0.1))
    #expect(rel.admits(recorded: 100, reproduced: 109, direction: nil))
    #expect(!rel.admits(recorded: 100, reproduced: 111, direction: nil))
    #expect(Tolerance.exact.admits(recorded: 0.1, reproduced: 0.1, direction: nil))
    #expect(!Tolerance.exact.admits(recorded: 0.1, reproduced: 0.1.nextUp, direction: nil))
    #expect(Tolerance.exact.admits(recorded: 0.9, reproduced: 0.95, direction: .atLeast))
    #expect(!Tolerance.exact.admits(recorded: 0.9, reproduced: 0.85, direction: .atLeast))
    #expect(Tolerance.exact.admits(recorded: 2.0, reproduced: 1.5, direction: .atMost))
  }

  @Test func jsonPathsReadNumbersAndExplainMisses() throws {
    let document = try JSONDecoder().decode(
      JSONValue.self, from: Data(#"{"m": {"kl": [0.5, 2]}, "odd key": {"v": 0.125}}"#.utf8))
    #expect(try JSONPath("$.m.kl[1]")?.number(in: document, location: "f") == 2)
    #expect(try JSONPath("m.kl[0]")?.number(in: document, location: "f") == 0.5)
    #expect(try JSONPath("$[\"odd key\"].v")?.number(in: document, location: "f") == 0.125)
    #expect(JSONPath("$..x") == nil)
    #expect(JSONPath("$.a[") == nil)
    let path = try #require(JSONPath("$.m.nmse"))
    #expect {
      try path.number(in: document, location: "results/metric.json")
    } throws: { error in
      (error as? LineageError)?.message == "results/metric.json: no key 'nmse' at $.m "
        + "(JSON path $.m.nmse); fix the claim's path"
    }
    #expect(throws: LineageError.self) {
      try JSONPath("$.m.kl[5]")?.number(in: document, location: "f")
    }
  }

  @Test(arguments: [
    (#"{"v": 9007199254740993}"#, "is not exactly representable as a 64-bit float"),
    (#"{"v": -9007199254740993}"#, "is not exactly representable as a 64-bit float"),
    (#"{"v": "2.0"}"#, "is a string (\"2.0\"), not a number"),
    (#"{"v": true}"#, "is not a number"),
    (#"{"v": 1E+400}"#, "overflows a 64-bit float"),
    (#"{"v": 0.0e-999, "w": 1e-400}"#, "is too small"),
    (#"{"a": {"v": 1}, "v": [1e999]}"#, "holds the number 1e999"),
    (#"{"v": 1"#, "is not valid JSON"),
  ])
  func claimNumbersBinary64CannotHoldAreRefused(json: String, problem: String) throws {
    let path = try #require(JSONPath(json.contains("\"w\"") ? "$.w" : "$.v"))
    #expect {
      try path.number(inJSON: Data(json.utf8), location: "f")
    } throws: { error in
      (error as? LineageError)?.message.contains(problem) == true
    }
  }

  @Test(arguments: [
    (#"{"v": 9007199254740992}"#, 9_007_199_254_740_992.0),
    (#"{"v": 18446744073709551616}"#, 18_446_744_073_709_551_616.0),
    (#"{"v": 12345678901234567000}"#, 1.2345678901234567e19),
    (#"{"v": 1234567890123456800}"#, 1.2345678901234568e18),
    (#"{"v": 9007199254740993.0}"#, 9_007_199_254_740_992.0),
    (#"{"v": -0.0}"#, 0.0),
    (#"{"v": 0e5}"#, 0.0),
    (#"{"x": "\"v\"", "v\u00e9": 2, "v": 3}"#, 3.0),
    (#"{"v": [1, {"w": [2]}], "x": 5}"#, 5.0),
  ])
  func claimNumbersAreReadFromTheirSourceText(json: String, expected: Double) throws {
    let path = try #require(JSONPath(json.contains("\"x\": 5") ? "$.x" : "$.v"))
    let number = try path.number(inJSON: Data(json.utf8), location: "f")
    #expect(number == expected)
    #expect(number.sign == .plus)
  }
}
