import Foundation
import Testing
import VouchTestSupport

@testable import VouchModels

@Suite("Qwen2Configuration decoding")
struct Qwen2ConfigurationTests {
  private func decode(_ json: String) throws -> Qwen2Configuration {
    try JSONDecoder().decode(Qwen2Configuration.self, from: Data(json.utf8))
  }

  private var base: String { base(kvHeads: 2) }

  private func base(kvHeads: Int) -> String {
    """
    "model_type": "qwen2", "hidden_size": 64, "intermediate_size": 192, "num_hidden_layers": 4,
    "num_attention_heads": 4, "num_key_value_heads": \(kvHeads), "vocab_size": 40,
    "rms_norm_eps": 1e-6
    """
  }

  @Test func readsTopLevelRopeTheta() throws {
    let config = try decode("{\(base), \"rope_theta\": 500000.0, \"tie_word_embeddings\": true}")
    #expect(config.ropeTheta == 500_000)
    #expect(config.tieWordEmbeddings)
    #expect(config.headDimension == 16)
  }

  @Test func readsRopeParameters() throws {
    let config = try decode(
      "{\(base), \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 1234.5},"
        + " \"head_dim\": 32, \"eos_token_id\": [2, 7], \"bos_token_id\": null}")
    #expect(config.ropeTheta == 1234.5)
    #expect(config.headDimension == 32)
    #expect(config.eosTokenIDs == [2, 7])
    #expect(config.bosTokenID == nil)
    #expect(!config.tieWordEmbeddings)
  }

  @Test func fixtureConfigsInBothFormsDecode() throws {
    let old = try Qwen2Configuration(
      contentsOf: Fixtures.url("qwen2/untied-f32-headdim/config.json"))
    #expect(old.ropeTheta == 1000 && old.headDimension == 16 && old.keyValueHeads == 1)
    let new = try Qwen2Configuration(contentsOf: Fixtures.url("qwen2/tied-f32-gqa/config.json"))
    #expect(new.ropeTheta == 10_000 && new.tieWordEmbeddings && new.eosTokenIDs == [2])
  }

  @Test func roundTripsThroughItsEncoding() throws {
    let config = try decode("{\(base), \"rope_theta\": 10000.0, \"eos_token_id\": 3}")
    let again = try JSONDecoder().decode(
      Qwen2Configuration.self, from: try JSONEncoder().encode(config))
    #expect(again == config)
  }

  @Test(arguments: [
    (
      "\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4.0}",
      "rope type 'yarn' is not supported; only 'default'"
    ),
    (
      "\"hidden_act\": \"silu\"",
      "num_attention_heads (4) must be a positive multiple of "
        + "num_key_value_heads (3)"
    ),
    ("\"use_sliding_window\": true", "use_sliding_window = true is not supported"),
  ])
  func rejectsWhatItCannotCompute(extra: String, message: String) throws {
    let kvHeads = message.contains("multiple") ? 3 : 2
    let json = "{\(base(kvHeads: kvHeads)), \(extra)}"
    let error = #expect(throws: ModelError.self) { try decode(json) }
    #expect(error?.message == message)
  }

  @Test func namesTheFileAndKeyWhenAFieldIsMissing() throws {
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("config.json")
    try Data("{\"hidden_size\": 8}".utf8).write(to: url)
    let error = #expect(throws: ModelError.self) { try Qwen2Configuration(contentsOf: url) }
    #expect(
      error?.message
        == "\(url.path): missing key 'num_attention_heads'; is this a Qwen2 config.json?")
  }
}
