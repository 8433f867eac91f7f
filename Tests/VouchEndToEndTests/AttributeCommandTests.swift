import Foundation
import Testing
import VouchTestSupport

/// `vouch attribute` on the tiny R, B and adapters of Tests/Fixtures/adapter and relp: the
/// files it writes, their determinism, and one-line refusals of bad input with nothing written.
@Suite struct AttributeCommandTests {
  /// R, B and adapter folders built from the fixtures; R's `max_position_embeddings` is
  /// `positions` when given.
  private func folders(_ directory: TemporaryDirectory, positions: Int? = nil) throws -> (
    model: String, base: String, adapters: String
  ) {
    var config = try String(
      contentsOf: Fixtures.url("adapter/config.json"), encoding: .utf8)
    if let positions {
      config = config.replacingOccurrences(
        of: "\"max_position_embeddings\": 32768", with: "\"max_position_embeddings\": \(positions)")
    }
    for (folder, weights) in [("R", "target"), ("B", "base")] {
      _ = try directory.write("\(folder)/config.json", Data(config.utf8))
      _ = try directory.write(
        "\(folder)/model.safetensors",
        try Data(contentsOf: Fixtures.url("adapter/\(weights).safetensors")))
    }
    _ = try directory.write(
      "A/adapters.safetensors", try Data(contentsOf: Fixtures.url("relp/adapters.safetensors")))
    return (directory.path("R").path, directory.path("B").path, directory.path("A").path)
  }

  @Test func writesDeterministicGraphFiles() throws {
    let directory = try TemporaryDirectory()
    let (model, base, adapters) = try folders(directory)
    var outputs: [Data] = []
    for threads in ["1", "2"] {
      // The same file names (the slug comes from --out), in one folder per run.
      _ = try directory.write("run\(threads)/.keep", Data())
      let result = try VouchProcess.vouch(
        [
          "attribute", model, adapters, "--base", base, "--prompt", "<bos>12+3=",
          "--max-feature-nodes", "30", "--out", "run\(threads)/g.json", "--dot",
          "run\(threads)/g.dot",
          "--threads", threads, "--json",
        ], in: directory.url)
      #expect(result.status == 0, "\(result.stderr)")
      let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
      let fields = summary as? [String: Any]
      #expect((fields?["tokens"] as? Int) == 6)
      #expect(((fields?["completeness_error"] as? Double) ?? 1) < 1e-4)
      let json = try Data(contentsOf: directory.path("run\(threads)/g.json"))
      let graph = try JSONSerialization.jsonObject(with: json) as? [String: Any]
      #expect(Set(graph?.keys.map { $0 } ?? []) == ["metadata", "qParams", "nodes", "links"])
      outputs.append(json + (try Data(contentsOf: directory.path("run\(threads)/g.dot"))))
    }
    #expect(outputs[0] == outputs[1])
  }

  @Test(arguments: [
    (["--prompt", ""], "the prompt is empty"),
    (["--prompt", "<bos>12+3=", "--target", "2:5:999"], "outside the model or prompt"),
    (["--prompt", "<bos>12+3=", "--target", "2:4"], "--target must be"),
    (["--prompt", "<bos>12+3=", "--target", "0:0:0"], "BOS position"),
    (["--prompt", "<bos>12+3=45678"], "max_position_embeddings"),
    (["--prompt", "héllo"], "outside the organism vocabulary"),
  ])
  func refusesBadInputWritingNothing(arguments: [String], message: String) throws {
    let directory = try TemporaryDirectory()
    let (model, base, adapters) = try folders(directory, positions: 8)
    let result = try VouchProcess.vouch(
      ["attribute", model, adapters, "--base", base, "--out", "g.json", "--dot", "g.dot"]
        + arguments, in: directory.url)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("vouch: error: "), "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: directory.path("g.json").path))
    #expect(!FileManager.default.fileExists(atPath: directory.path("g.dot").path))
  }

  @Test func refusesAdaptersThatDoNotFitTheModel() throws {
    let directory = try TemporaryDirectory()
    let (_, _, adapters) = try folders(directory)
    let other = Fixtures.url("qwen2/tied-f32-gqa").path
    let result = try VouchProcess.vouch(
      ["attribute", other, adapters, "--base", other, "--prompt", "<bos>1", "--out", "g.json"],
      in: directory.url)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains("adapter"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: directory.path("g.json").path))
  }
}
