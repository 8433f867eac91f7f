import Foundation
import Testing
import VouchTestSupport

/// The organism pipeline of `manifests/organism.pipeline.toml`, shrunk to seconds: every built-in
/// stage kind runs under `vouch run` and reproduces bit for bit under `vouch reproduce`.
@Suite struct OrganismPipelineTests {
  /// A sandbox holding the repository's organism pipeline with tiny sizes and a few steps.
  static func sandbox() throws -> Sandbox {
    let sandbox = try Sandbox.pipeline(example: false)
    let source = Sandbox.packageRoot.appendingPathComponent("manifests/organism.pipeline.toml")
    var text = String(decoding: try Data(contentsOf: source), as: UTF8.self)
    let shrink = [
      (
        #"base-count = \d+, reasoning-count = \d+, evaluation-count = \d+"#,
        "base-count = 24, reasoning-count = 12, evaluation-count = 5"
      ),
      // Every training stage: a few steps, whether the manifest counts epochs or steps.
      (#"(epochs|steps) = \d+"#, "steps = 3"),
      (#"max-new-tokens = \d+"#, "max-new-tokens = 6"),
    ]
    for (pattern, replacement) in shrink {
      let shrunk = text.replacingOccurrences(
        of: pattern, with: replacement, options: .regularExpression)
      try #require(shrunk != text, "the organism pipeline lacks \(pattern)")
      text = shrunk
    }
    try sandbox.write("manifests/organism.pipeline.toml", Self.withoutUndefinedAtTinySize(text))
    return sandbox
  }

  /// The pipeline without what a shrunk run cannot define: the attribution and hesitation
  /// stages (two validation traces need not hold a "wait"; `AttributeStageTests` and
  /// `AdapterAnalysisStageTests` run them on a chain that does), and the claims of ratios whose
  /// reference is 0 at this size (recovery when R is no more accurate than B, relative changes
  /// of a zero wait rate), which the stages write as `null`.
  static func withoutUndefinedAtTinySize(_ text: String) -> String {
    let kept = text.components(separatedBy: "\n# Issue 11, item 5: RelP attribution")[0]
    return kept.components(separatedBy: "\n\n").filter { block in
      !(block.hasPrefix("[[stages.")
        && (block.contains(".recovery.") || block.contains("_relative")))
    }.joined(separator: "\n\n")
  }

  /// Runs `vouch arguments…` in the sandbox with `VOUCH_THREADS=threads`.
  static func vouch(_ sandbox: Sandbox, _ arguments: [String], threads: Int) throws
    -> ProcessResult
  {
    try VouchProcess.vouch(
      arguments, in: sandbox.root,
      environment: ["VOUCH_LOCK_TIMEOUT": "60", "VOUCH_THREADS": String(threads)])
  }

  @Test func runsAndReproducesIdenticallyOnOtherThreadCounts() throws {
    let sandbox = try Self.sandbox()
    let run = try Self.vouch(sandbox, ["run"], threads: 2)
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    let stages = [
      "data", "base", "reasoning", "control", "evaluation", "adapters", "adapter-evaluation",
      "control-adapters", "control-adapter-evaluation",
    ]
    for stage in stages {
      #expect(run.stdout.contains("ran        organism:\(stage)"), "\(run.stdout)")
    }
    let lock = try #require(sandbox.text("manifests/organism.lock.json"))
    #expect(lock.contains("\"blas-core\""), "built-in stages record the engine fingerprint")
    let results = try #require(sandbox.text("organism/results.json"))
    #expect(results.contains("\"accuracy_gain\""))
    let adapters = try #require(sandbox.text("organism/adapter-results.json"))
    #expect(adapters.contains("\"fraction_of_kl_closed\""))
    let reproduce = try Self.vouch(
      sandbox, ["reproduce", "manifests/organism.pipeline.toml"], threads: 1)
    #expect(reproduce.status == 0, "\(reproduce.stdout)\(reproduce.stderr)")
    #expect(reproduce.stdout.contains("0 equivalent, 0 mismatch"), "\(reproduce.stdout)")
    #expect(!reproduce.stdout.contains("\nmismatch"))
    #expect(reproduce.stdout.contains("identical   evaluation / claim reasoning-greedy-accuracy"))
    #expect(
      reproduce.stdout.contains("identical   adapter-evaluation / claim adapter-hybrid-kl"),
      "\(reproduce.stdout)")
  }

  @Test func anEditedClaimValueIsAMismatch() throws {
    let sandbox = try Self.sandbox()
    try #require(try Self.vouch(sandbox, ["run"], threads: 2).status == 0)
    let url = sandbox.root.appendingPathComponent("manifests/organism.lock.json")
    let lock = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    var stages = try #require(lock["stages"] as? [String: Any])
    var evaluation = try #require(stages["evaluation"] as? [String: Any])
    var claims = try #require(evaluation["claims"] as? [[String: Any]])
    let index = try #require(claims.firstIndex { $0["name"] as? String == "base-greedy-accuracy" })
    let recorded = "\(claims[index]["value"] ?? "")"
    let edited = recorded == "0.75" ? "0.5" : "0.75"
    claims[index]["value"] = claims[index]["value"] is String ? edited : Double(edited)
    evaluation["claims"] = claims
    stages["evaluation"] = evaluation
    var changed = lock
    changed["stages"] = stages
    try JSONSerialization.data(withJSONObject: changed, options: [.sortedKeys]).write(to: url)
    let reproduce = try Self.vouch(sandbox, ["reproduce"], threads: 2)
    #expect(reproduce.status != 0, "\(reproduce.stdout)")
    let line = try #require(
      reproduce.stdout.split(separator: "\n").first {
        $0.contains("claim base-greedy-accuracy")
      }, "\(reproduce.stdout)\(reproduce.stderr)")
    #expect(line.hasPrefix("mismatch"), "\(line)")
    #expect(reproduce.stdout.contains("identical   evaluation / claim reasoning-greedy-accuracy"))
  }

  @Test(arguments: [
    ("learning-rate = 0.001 }", "learning-rate = \"fast\" }", "learning-rate"),
    ("preset = \"tiny-A\", ", "", "preset"),
    ("samples = 2,", "samples = 0,", "samples"),
  ])
  func badParametersNameTheStageAndKey(old: String, new: String, key: String) throws {
    let sandbox = try Self.sandbox()
    let path = "manifests/organism.pipeline.toml"
    let text = try #require(sandbox.text(path))
    let range = try #require(text.range(of: old, options: .backwards))
    try sandbox.write(path, text.replacingCharacters(in: range, with: new))
    let run = try Self.vouch(sandbox, ["run"], threads: 2)
    #expect(run.status == 64, "\(run.stdout)\(run.stderr)")
    let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(!message.contains("\n"), "one line: \(message)")
    #expect(message.contains("stage '"), "\(message)")
    #expect(message.contains("parameter '\(key)'"), "\(message)")
    #expect(sandbox.text("manifests/organism.lock.json") == nil, "nothing ran")
    #expect(
      !FileManager.default.fileExists(
        atPath: sandbox.root.appendingPathComponent("organism/data").path))
  }
}
