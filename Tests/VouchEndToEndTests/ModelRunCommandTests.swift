import Foundation
import Testing
import VouchTestSupport

/// `vouch model logits` and `vouch model generate` on the committed transformers fixtures.
@Suite struct ModelRunCommandTests {
  private struct Reference: Decodable {
    let input_ids: [Int]
    let logits: [[Float]]
    let greedy_prompt: [Int]
    let greedy_generated: [Int]
  }

  private struct LogitsOutput: Decodable {
    struct Engine: Decodable {
      let blasCoreType: String
      let profile: String
    }
    let ids: [Int]
    let logits: [[Float]]
    let engine: Engine
  }

  private struct GenerateOutput: Decodable {
    let promptIDs: [Int]
    let generatedIDs: [Int]
    let text: String?
  }

  private func reference(_ name: String) throws -> Reference {
    let data = try Data(contentsOf: Fixtures.url("qwen2/\(name)/reference.json"))
    return try JSONDecoder().decode(Reference.self, from: data)
  }

  @Test func logitsJSONMatchesTransformersAndPinsHaswell() throws {
    let directory = try TemporaryDirectory()
    let expected = try reference("untied-bf16")
    // An empty OPENBLAS_CORETYPE counts as unset: vouch re-executes itself with Haswell pinned.
    let result = try VouchProcess.vouch(
      [
        "model", "logits", Fixtures.url("qwen2/untied-bf16").path, "--ids",
        expected.input_ids.map(String.init).joined(separator: ","), "--json",
      ],
      in: directory.url, environment: ["OPENBLAS_CORETYPE": ""])
    #expect(result.status == 0, "\(result.stderr)")
    let output = try JSONDecoder().decode(LogitsOutput.self, from: Data(result.stdout.utf8))
    #expect(output.ids == expected.input_ids)
    #expect(output.engine.profile == "exact")
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    if cpu.contains(" avx2") && cpu.contains(" fma") {
      #expect(output.engine.blasCoreType == "Haswell")
    }
    let worst = zip(output.logits.joined(), expected.logits.joined()).map { abs($0 - $1) }.max()
    #expect((worst ?? 1) <= 1e-4)
  }

  @Test func generateFromIDsIsGreedyLikeTransformers() throws {
    let directory = try TemporaryDirectory()
    let expected = try reference("tied-f32-gqa")
    let result = try VouchProcess.vouch(
      [
        "model", "generate", Fixtures.url("qwen2/tied-f32-gqa").path, "--ids",
        expected.greedy_prompt.map(String.init).joined(separator: ","), "--max-tokens", "8",
      ],
      in: directory.url)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == expected.greedy_generated.map(String.init).joined(separator: ",") + "\n")
  }

  @Test func generateFromAPromptIsSeededAndThreadIndependent() throws {
    let directory = try TemporaryDirectory()
    let model = directory.url.appendingPathComponent("model")
    try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
    for file in ["config.json", "model.safetensors"] {
      try FileManager.default.copyItem(
        at: Fixtures.url("qwen2/tokenizer-sized-bf16/\(file)"),
        to: model.appendingPathComponent(file))
    }
    try FileManager.default.copyItem(
      at: Fixtures.url("tokenizer/tokenizer.json"),
      to: model.appendingPathComponent("tokenizer.json"))
    func run(_ threads: Int, seed: Int) throws -> GenerateOutput {
      let result = try VouchProcess.vouch(
        [
          "model", "generate", model.path, "--prompt", "Hello, 世界 42", "--max-tokens", "6",
          "--temperature", "0.9", "--seed", "\(seed)", "--threads", "\(threads)", "--json",
        ],
        in: directory.url)
      #expect(result.status == 0, "\(result.stderr)")
      return try JSONDecoder().decode(GenerateOutput.self, from: Data(result.stdout.utf8))
    }
    let one = try run(1, seed: 5)
    let two = try run(2, seed: 5)
    #expect(!one.promptIDs.isEmpty)
    #expect(one.generatedIDs == two.generatedIDs)
    #expect(one.text == two.text && one.text != nil)
    #expect(one.generatedIDs.count <= 6)
  }

  @Test func badInputIsAOneLineError() throws {
    let directory = try TemporaryDirectory()
    let folder = Fixtures.url("qwen2/tied-bf16").path
    let badList = try VouchProcess.vouch(
      ["model", "logits", folder, "--ids", "3,x"], in: directory.url)
    #expect(badList.status == 64)
    #expect(badList.stderr.contains("--ids must be comma-separated non-negative integers"))
    let outside = try VouchProcess.vouch(
      ["model", "logits", folder, "--ids", "1,64"], in: directory.url)
    #expect(outside.status == 64)
    #expect(outside.stderr.contains("token id 64 is outside the vocabulary 0..<64"))
    #expect(outside.stdout.isEmpty)
    let both = try VouchProcess.vouch(
      ["model", "generate", folder, "--ids", "1", "--prompt", "hi"], in: directory.url)
    #expect(both.status == 64)
    #expect(both.stderr.contains("pass exactly one of --prompt TEXT or --ids 3,17,42"))
  }
}
