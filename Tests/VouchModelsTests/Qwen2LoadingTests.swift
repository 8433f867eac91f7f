import Foundation
import Testing
import VouchEngine
import VouchTestSupport

@testable import VouchModels

@Suite("Qwen2 strict weight loading")
struct Qwen2LoadingTests {
  private func configuration(_ name: String) throws -> Qwen2Configuration {
    try Qwen2Configuration(
      contentsOf: Qwen2Reference.directory(name).appendingPathComponent("config.json"))
  }

  @Test func aMissingTensorIsNamed() throws {
    var tensors = try inMemoryTensors("untied-f32-headdim")
    tensors["model.layers.2.self_attn.k_proj.bias"] = nil
    let error = #expect(throws: ModelError.self) {
      try Qwen2Model(
        configuration: try configuration("untied-f32-headdim"), weights: InMemoryWeights(tensors))
    }
    #expect(
      error?.message == "tensor 'model.layers.2.self_attn.k_proj.bias' is missing from the weights")
  }

  @Test func anUnexpectedTensorIsNamed() throws {
    var tensors = try inMemoryTensors("untied-f32-headdim")
    tensors["model.layers.0.self_attn.o_proj.bias"] = Tensor(shape: [32])
    let error = #expect(throws: ModelError.self) {
      try Qwen2Model(
        configuration: try configuration("untied-f32-headdim"), weights: InMemoryWeights(tensors))
    }
    #expect(
      error?.message == "unexpected tensor 'model.layers.0.self_attn.o_proj.bias' in the "
        + "weights; the checkpoint does not match its config.json")
  }

  @Test func aTiedModelHasNoLMHead() throws {
    var tensors = try inMemoryTensors("tied-f32-gqa")
    #expect(tensors["lm_head.weight"] == nil)
    tensors["lm_head.weight"] = tensors["model.embed_tokens.weight"]
    let error = #expect(throws: ModelError.self) {
      try Qwen2Model(
        configuration: try configuration("tied-f32-gqa"), weights: InMemoryWeights(tensors))
    }
    #expect(
      error?.message.hasPrefix(
        "unexpected tensor 'lm_head.weight' in the weights (the config says tie_word_embeddings = true)"
      ) == true)
    // …and the same weights load once the config says untied.
    var untied = try configuration("tied-f32-gqa")
    untied.tieWordEmbeddings = false
    _ = try Qwen2Model(configuration: untied, weights: InMemoryWeights(tensors))
  }

  @Test func aMisshapenTensorIsNamed() throws {
    var tensors = try inMemoryTensors("tied-bf16")
    tensors["model.norm.weight"] = Tensor(shape: [31])
    let error = #expect(throws: ModelError.self) {
      try Qwen2Model(
        configuration: try configuration("tied-bf16"), weights: InMemoryWeights(tensors))
    }
    #expect(
      error?.message == "tensor 'model.norm.weight' has shape [31] but config.json implies [32]")
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
    #expect(
      error?.message.hasSuffix(
        "config.json: cannot read the model configuration; "
          + "a Hugging Face model folder needs a config.json") == true)
  }
}

@Suite("Qwen2 streamed weights")
struct Qwen2StreamingTests {
  /// A vocabulary over one unembedding chunk, stored as bf16 safetensors: the streamed model reads
  /// embedding rows and lm_head chunks straight from the mapping and must give the resident bits.
  @Test func streamedBF16EqualsResidentAcrossUnembeddingChunks() throws {
    let configuration = Qwen2Configuration(
      hiddenSize: 8, intermediateSize: 16, layerCount: 1, attentionHeads: 2, keyValueHeads: 1,
      vocabularySize: Qwen2Model.unembeddingChunkRows + 77)
    var generator = SeededGenerator(seed: 41)
    var writer = SafetensorsWriter()
    for (name, shape) in Qwen2Model.expectedShapes(configuration).sorted(by: { $0.key < $1.key }) {
      let count = shape.reduce(1, *)
      let values = (0..<count).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
      try writer.add(name, shape: shape, values: values, as: .bfloat16)
    }
    let directory = try TemporaryDirectory()
    try writer.write(to: directory.url.appendingPathComponent("model.safetensors"))
    try JSONEncoder().encode(configuration).write(
      to: directory.url.appendingPathComponent("config.json"))
    let ids = [3, configuration.vocabularySize - 1, 8200, 0]
    let streamed = try Qwen2Model(directory: directory.url, residency: .streamed)
    let resident = try Qwen2Model(directory: directory.url, residency: .resident)
    let context = ComputeContext(profile: .exact, threads: 2)
    let a = try streamed.forward(ids, context: context).logits
    let b = try resident.forward(ids, context: context).logits
    #expect(a.shape == [4, configuration.vocabularySize])
    #expect(a.isBitwiseEqual(to: b))
    // And the chunked unembedding is the plain dense layer.
    let hidden = try resident.forward(ids, context: context).finalHidden
    let head = try SafetensorsFolder(directory: directory.url).tensor(
      Qwen2Model.unembeddingName, shape: [configuration.vocabularySize, 8])
    #expect(hidden.linear(weight: head, context: context).maxAbsoluteDifference(b) < 1e-5)
  }
}
