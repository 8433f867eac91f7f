import Foundation
import Testing
import VouchTestSupport

/// `vouch model tokenize` run as a process on the reference tokenizer.
@Suite struct ModelTokenizeTests {
  /// A folder holding only the fixture's tokenizer.json.
  static func tokenizerFolder() throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    try directory.write(
      "model/tokenizer.json", Data(contentsOf: Fixtures.url("tokenizer/tokenizer.json")))
    return directory
  }

  /// (text, ids) pairs from the fixture's expected.json, computed by Hugging Face tokenizers.
  static func expectedCases() throws -> [(String, [Int])] {
    let data = try Data(contentsOf: Fixtures.url("tokenizer/expected.json"))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let cases = try #require(root["cases"] as? [[String: Any]])
    return cases.compactMap { item in
      guard let text = item["text"] as? String, let ids = item["ids"] as? [Int] else { return nil }
      return (text, ids)
    }
  }

  @Test func jsonIdsMatchTokenizers() throws {
    let directory = try ModelTokenizeTests.tokenizerFolder()
    let cases = try ModelTokenizeTests.expectedCases()
    #expect(cases.count > 20)
    // A few representative strings (each run is a process; the unit tests cover all of them).
    for (text, ids) in cases
    where text.contains("<|im_start|>") || text.contains("😀") || text.contains("\r\n") {
      let result = try VouchProcess.vouch(
        ["model", "tokenize", "model", "--text", text, "--json"], in: directory.url)
      #expect(result.status == 0, "\(result.stderr)")
      let object =
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
      #expect(object?["ids"] as? [Int] == ids, "\(text.debugDescription)")
      #expect((object?["tokens"] as? [String])?.count == ids.count)
    }
  }

  @Test func textOutputListsIdsAndTokens() throws {
    let directory = try ModelTokenizeTests.tokenizerFolder()
    let result = try VouchProcess.vouch(
      ["model", "tokenize", "model", "--text", "hi<|im_end|>"], in: directory.url)
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.first?.hasPrefix("3 tokens: ") == true, "\(result.stdout)")
    #expect(lines.last?.hasSuffix("<|im_end|>  \"<|im_end|>\"") == true, "\(result.stdout)")
  }

  @Test func helpDescribesInputsAndOutput() throws {
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(["model", "tokenize", "--help"], in: directory.url)
    #expect(result.status == 0)
    for text in [
      "Encodes text with a model folder's tokenizer.json.", "--text <text>", "--file <file>",
      "--json",
    ] {
      #expect(result.stdout.contains(text), "help lacks \(text)")
    }
  }

  @Test func folderWithoutTokenizerIsAUsageError() throws {
    let directory = try TemporaryDirectory()
    try directory.write("m/config.json", "{}")
    let result = try VouchProcess.vouch(
      ["model", "tokenize", "m", "--text", "x"], in: directory.url)
    #expect(result.status == 64)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("m: no tokenizer.json; save it next to the weights"))
  }

  @Test func missingTextIsAUsageError() throws {
    let directory = try ModelTokenizeTests.tokenizerFolder()
    let result = try VouchProcess.vouch(["model", "tokenize", "model"], in: directory.url)
    #expect(result.status == 64)
    #expect(result.stderr.contains("Give exactly one of --text TEXT or --file PATH."))
  }

  @Test func fileInputEncodesLikeText() throws {
    let directory = try ModelTokenizeTests.tokenizerFolder()
    let text = "line one\r\nline two <|im_end|> 😀 DON'T"
    try directory.write("input.txt", text)
    let fromFile = try VouchProcess.vouch(
      ["model", "tokenize", "model", "--file", "input.txt", "--json"], in: directory.url)
    let fromText = try VouchProcess.vouch(
      ["model", "tokenize", "model", "--text", text, "--json"], in: directory.url)
    #expect(fromFile.status == 0, "\(fromFile.stderr)")
    #expect(fromFile.stdout == fromText.stdout)
    #expect(fromFile.stdout.hasPrefix("{\"ids\":["))
  }
}
