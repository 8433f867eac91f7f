import Foundation
import Testing
import VouchTestSupport

/// `vouch features show` and `vouch features top` run as a process on a hand-written labels
/// folder (one layer of three features over a four-token vocabulary), so every number printed is
/// known to the test.
@Suite struct FeaturesCommandTests {
  static let vocabulary = ["<bos>", "wait", "1", "\n"]
  static let regions = [
    "bos", "user_marker", "question", "assistant_marker", "think_start", "thinking_0",
    "thinking_1", "thinking_2", "thinking_3", "thinking_4", "thinking_5", "thinking_6",
    "thinking_7", "thinking_8", "thinking_9", "think_end", "answer", "thinking",
  ]

  /// One `features.jsonl` line: `thinking` density `thinking`, logit scores `scores`.
  static func line(
    index: Int, count: Int, thinking: Double, scores: [Double], category: String?,
    mechanism: String? = nil
  ) -> String {
    let densities = regions.map { "\"\($0)\":\($0 == "thinking" ? thinking : 0)" }
    let counts = regions.map { "\"\($0)\":\($0 == "thinking" ? count : 0)" }
    let lens = scores.enumerated().map {
      "{\"id\":\($0.offset),\"score\":\($0.element),\"token\":\"t\($0.offset)\"}"
    }
    let example =
      #"{"activation":1.5,"after":"\n1","before":"<bos>1","position":2,"region":"thinking_4","#
      + #""sequence":0,"token":"wait","token_id":1}"#
    var fields = [
      "\"layer\":0", "\"index\":\(index)", "\"count\":\(count)",
      "\"frequency\":\(Double(count) / 100)", "\"alive\":\(count > 0)",
      "\"region_counts\":{\(counts.joined(separator: ","))}",
      "\"region_densities\":{\(densities.joined(separator: ","))}",
      "\"top_examples\":[\(count > 0 ? example : "")]", "\"random_examples\":[]",
      "\"logit_lens\":{\"bottom\":[],\"scores\":\(scores),\"top\":[\(lens.joined(separator: ","))]}",
    ]
    if let category { fields += ["\"category\":\"\(category)\"", "\"rule\":\"r\""] }
    if let mechanism { fields.append("\"mechanism\":\"\(mechanism)\"") }
    return "{" + fields.joined(separator: ",") + "}"
  }

  /// A workspace with labels at the default path `organism/features`.
  static func sandbox() throws -> Sandbox {
    let sandbox = try Sandbox(git: false)
    let lines = [
      line(
        index: 0, count: 8, thinking: 0.25, scores: [0, 3, 1, 0], category: "reasoning",
        mechanism: "output"),
      line(index: 1, count: 30, thinking: 0.5, scores: [0, -1, 2, 0], category: "domain"),
      line(index: 2, count: 0, thinking: 0, scores: [0, 3, 0, 0], category: nil),
    ]
    try sandbox.write("organism/features/features.jsonl", lines.joined(separator: "\n") + "\n")
    let tokens = regions.map { "\"\($0)\":10" }.joined(separator: ",")
    try sandbox.write(
      "organism/features/summary.json",
      """
      {"alive":2,"alive_per_layer":[2],"categories":{"domain":1,"language":0,"reasoning":1,\
      "uninterpretable":0},"features":3,"features_per_layer":3,"layers":1,"mechanisms":\
      {"input_abstract":0,"input_simple":0,"output":1},"reasoning_fraction":0.5,\
      "region_tokens":{\(tokens)},"schema_version":1,"seed":4,"sequences":2,\
      "skipped_sequences":0,"thresholds":{"examined_examples":10,"majority_share":0.5,\
      "minimum_examples":5,"minimum_frequency":1e-07,"output_standard_score":3,\
      "reasoning_share":0.5,"simple_share":0.8},"tokens":100,\
      "vocabulary":["<bos>","wait","1","\\n"]}
      """)
    return sandbox
  }

  @Test func showPrintsOneFeatureAsTextAndJSON() throws {
    let sandbox = try Self.sandbox()
    let text = try sandbox.vouch(["features", "show", "0:0"])
    #expect(text.status == 0 && text.stderr.isEmpty, "\(text.stderr)")
    #expect(text.stdout.contains("feature    0:0\n"))
    #expect(text.stdout.contains("label      reasoning (output), rule r\n"))
    #expect(text.stdout.contains("count      8 (frequency 0.08)\n"))
    #expect(text.stdout.contains("  thinking          0.25 (8)\n"))
    #expect(text.stdout.contains("<bos>1[wait]\\n1"), "\(text.stdout)")
    let json = try sandbox.vouch(["features", "show", "0:1", "--json"])
    #expect(json.status == 0, "\(json.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["index"] as? Int == 1 && object["category"] as? String == "domain")
    let dead = try sandbox.vouch(["features", "show", "0:2"])
    #expect(dead.stdout.contains("label      dead (never active)\n"), "\(dead.stdout)")
  }

  @Test func topRanksByDensityRegionAndLogit() throws {
    let sandbox = try Self.sandbox()
    func order(_ arguments: [String]) throws -> [String] {
      let result = try sandbox.vouch(["features", "top"] + arguments + ["--json"])
      #expect(result.status == 0, "\(result.stderr)")
      let rows = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
      return rows.map { "\($0["layer"] ?? "?"):\($0["index"] ?? "?")" }
    }
    #expect(try order(["--by", "density"]) == ["0:1", "0:0", "0:2"])
    #expect(try order(["--by", "region", "thinking", "--limit", "2"]) == ["0:1", "0:0"])
    // Ties (0:0 and 0:2 both score 3 on "wait") go to the lower index.
    #expect(try order(["--by", "logit", "wait"]) == ["0:0", "0:2", "0:1"])
    #expect(try order(["--by", "logit", "1", "--limit", "1"]) == ["0:1"])
    let text = try sandbox.vouch(["features", "top", "--by", "density", "--limit", "1"])
    #expect(text.stdout == "feature   density      label\n0:1       0.3          domain\n")
  }

  @Test(arguments: [
    (["features", "show", "1-3"], "'1-3' is not LAYER:INDEX"),
    (["features", "show", "0:x"], "'0:x' is not LAYER:INDEX"),
    (["features", "show", "0:3"], "feature 0:3 is out of range"),
    (["features", "show", "1:0"], "feature 1:0 is out of range"),
    (["features", "top", "--by", "region", "thinkin"], "unknown region 'thinkin'"),
    (["features", "top", "--by", "logit", "hmm"], "unknown token 'hmm'"),
    (["features", "top", "--by", "logit"], "--by logit needs a token"),
    (["features", "top", "--by", "size"], "--by must be density, region or logit"),
    (["features", "top", "--by", "density", "--limit", "0"], "--limit must be at least 1"),
    (["features", "show", "0:0", "--labels", "elsewhere"], "no feature labels at 'elsewhere'"),
  ])
  func badInputIsOneLineUsageErrorWithNothingWritten(arguments: [String], message: String)
    throws
  {
    let sandbox = try Self.sandbox()
    let before = try sandbox.files(under: ".")
    let result = try sandbox.vouch(arguments)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("vouch: error: ") && result.stderr.contains(message))
    #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
    #expect(try sandbox.files(under: ".") == before)
  }

  @Test func missingDefaultLabelsNameTheStage() throws {
    let sandbox = try Sandbox(git: false)
    let result = try sandbox.vouch(["features", "top", "--by", "density"])
    #expect(result.status == 64)
    #expect(
      result.stderr.contains("no feature labels at 'organism/features'")
        && result.stderr.contains("adapter-features"), "\(result.stderr)")
  }
}
