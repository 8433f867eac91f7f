import Foundation
import Testing
import VouchEngine
import VouchTestSupport

@testable import VouchModels

@Suite("Qwen2 strict weight loading")
struct Qwen2LoadingTests {
  private func configuration(_ name: String) throws -> Qwen2Configuration {
    try Qwen2Configuration(contentsOf: Qwen2Reference.directory(name).appendingPathComponent("config.json"))
  }

  @Test func aMissingTensorIsNamed() throws {
    var tensors = try inMemoryTensors("untied-f32-headdim")
    tensors["model.layers.2.self_attn.k_proj.bias"] = nil
    let error = #expect(throws: ModelError.self) {
      try Qwen2Model(configuration: try configuration("untied-f32-headdim"), weights: InMemoryWeights(tensors))
    }
    #expect(error?.message == "tensor 'model.layers.2.self_attn.k_proj.bias' is missing from the weights")
  }

  @Test func anUnexpectedTensorIsNamed() throws {
    var tensors = try inMemoryTensors("untied-f32-headdim")
    tensors["model.layers.0.self_attn.o_proj.bias"] = Tensor(shape: [32])
    let error = #expect(throws: ModelError.self) {
      try Qwen2Model(configuration: try configuration("untied-f32-headdim"), weights: InMemoryWeights(tensors))
    }
    #expect(error?.message == "unexpected tensor 'model.layers.0.self_attn.o_proj.bias' in the "
      + "weights; the checkpoint does not match its config.json")
  }

  @Test func aTiedModelHasNoLMHead() throws {
    var tensors = try inMemoryTensors("tied-f32-gqa")
    #expect(tensors["lm_head.weight"] == nil)
    tensors["lm_head.weight"] = tensors["model.embed_tokens.weight"]
    let error = #expect(throws: ModelError.self) {
      try Qwen2Model(configuration: try configuration("tied-f32-gqa"), weights: InMemoryWeights(tensors))
    }
    #expect(error?.message.hasPrefix("unexpected tensor 'lm_head.weight' in the weights (the config says tie_word_embeddings = true)") == true)
    // …and the same weights load once the config says untied.
    var untied = try configuration("tied-f32-gqa")
    untied.tieWordEmbeddings = false
    _ = try Qwen2Model(configuration: untied, weights: InMemoryWeights(tensors))
  }

  @Test func aMisshapenTensorIsNamed() throws {
    var tensors = try inMemoryTensors("tied-bf16")
    tensors["model.norm.weight"] = Tensor(shape: [31])
    let error = #expect(throws: ModelError.self) {
      try Qwen2Model(configuration: try configuration("tied-bf16"), weights: InMemoryWeights(tensors))
    }
    #expect(error?.message == "tensor 'model.norm.weight' has shape [31] but config.json implies [32]")
  }

  @Test func inMemoryWeightsComputeWhatTheFolderComputes() throws {
    let reference = try Qwen2Reference.load("untied-bf16")
    let model = try Qwen2Model(
      configuration: try configuration("untied-bf16"),
      weights: InMemoryWeights(try inMemoryTensors("untied-bf16")), residency: .resident)
    let logits = try model.forward(reference.inputIDs, context: .reference).logits
    #expect(logits.maxAbsoluteDifference(matrix(reference.logits)) <= 1e-4)
  }

  @Test func aFolderWithoutConfigIsAClearError() throws {
    let directory = try TemporaryDirectory()
    let error = #expect(throws: ModelError.self) { try Qwen2Model(directory: directory.url) }
    #expect(error?.message.hasSuffix("config.json: cannot read the model configuration; "
      + "a Hugging Face model folder needs a config.json") == true)
  }
}
