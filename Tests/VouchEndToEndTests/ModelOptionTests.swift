import Foundation
import Testing
import VouchTestSupport

/// Bounds and signs of `vouch model` options, and sizes in `config.json` (findings rows 5.3, 5.6,
/// 5.7 and 5.9).
@Suite struct ModelOptionTests {
  /// Runs `vouch model arguments…` in a fresh directory.
  func model(_ arguments: [String]) throws -> ProcessResult {
    let directory = try TemporaryDirectory()
    return try VouchProcess.vouch(["model"] + arguments, in: directory.url)
  }

  @Test func maxTokensIsBoundedByTheModelsPositions() throws {
    let folder = Fixtures.url("qwen2/tied-bf16").path
    // Before the bound, this generated for as long as anyone waited.
    let huge = try model(["generate", folder, "--ids", "1,2,3", "--max-tokens", "99999999999"])
    #expect(huge.status == 64)
    #expect(
      huge.stderr
        == "vouch: error: --max-tokens 99999999999 does not fit: the model's max_position_embeddings is 32768 and the prompt takes 3; pass --max-tokens 32765 or less\n"
    )
    #expect(huge.stdout.isEmpty)
    let tooLongPrompt = try model(
      ["logits", folder, "--ids", Array(repeating: "1", count: 32769).joined(separator: ",")])
    #expect(tooLongPrompt.status == 64)
    #expect(
      tooLongPrompt.stderr.contains(
        "--ids has 32769 tokens, more than the model's max_position_embeddings 32768"))
  }

  @Test(arguments: [
    (["--max-tokens", "-1"], "--max-tokens must be ≥ 0"),
    (["--temperature", "-1"], "--temperature must be a finite number ≥ 0"),
    (["--threads", "-3"], "--threads must be between 1 and 256"),
    (["--stop", "-1"], "--stop must be comma-separated non-negative integers"),
  ])
  func aNegativeNumberGetsItsRangeMessage(option: [String], message: String) throws {
    let folder = Fixtures.url("qwen2/tied-bf16").path
    let result = try model(["generate", folder, "--ids", "1"] + option)
    #expect(result.status == 64)
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(!result.stderr.contains("Missing value"))
  }

  /// Findings 5.10: a bad id list is reported before the model folder is even opened.
  @Test func badIDListsAreCaughtBeforeLoading() throws {
    for command in ["generate", "logits"] {
      let result = try model([command, "/nonexistent-model", "--ids", "3,x"])
      #expect(result.status == 64)
      #expect(
        result.stderr
          == "vouch: error: --ids must be comma-separated non-negative integers, e.g. 3,17,42\n")
    }
  }

  @Test(arguments: [
    ("\"hidden_size\": -16", "hidden_size is -16"),
    ("\"vocab_size\": 0", "vocab_size is 0"),
    ("\"num_hidden_layers\": \"many\"", "num_hidden_layers is not a number"),
  ])
  func inspectRefusesNonPositiveSizes(field: String, shown: String) throws {
    let directory = try TemporaryDirectory()
    let source = Fixtures.url("qwen2/tied-bf16")
    try FileManager.default.createDirectory(
      at: directory.url.appendingPathComponent("m"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: source.appendingPathComponent("model.safetensors"),
      to: directory.url.appendingPathComponent("m/model.safetensors"))
    var config = try String(
      contentsOf: source.appendingPathComponent("config.json"), encoding: .utf8)
    let key = try #require(field.split(separator: ":").first).description
    config = config.replacingOccurrences(
      of: #"\#(key): [^,\n]*"#, with: field, options: .regularExpression)
    #expect(config.contains(field))
    try directory.write("m/config.json", config)
    let result = try VouchProcess.vouch(["model", "inspect", "m"], in: directory.url)
    #expect(result.status == 64)
    #expect(result.stderr.hasPrefix("vouch: error: /"))
    #expect(
      result.stderr.hasSuffix("/m/config.json: \(shown); a size must be a positive integer\n"))
    #expect(result.stdout.isEmpty)
  }
}
