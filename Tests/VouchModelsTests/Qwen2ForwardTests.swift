import Foundation
import Testing
import VouchEngine
import VouchTestSupport

@testable import VouchModels

@Suite("Qwen2 forward against transformers")
struct Qwen2ForwardTests {
  @Test(arguments: Qwen2Reference.names)
  func logitsAndStatesMatchTransformers(name: String) throws {
    let reference = try Qwen2Reference.load(name)
    let model = try Qwen2Model(directory: Qwen2Reference.directory(name))
    let output = try model.forward(
      reference.inputIDs, capture: [.residualStream, .mlpActivations],
      context: ComputeContext(profile: .exact, threads: 2))
    #expect(output.logits.maxAbsoluteDifference(matrix(reference.logits)) <= 1e-4)
    #expect(output.finalHidden.maxAbsoluteDifference(matrix(reference.lastHiddenState)) <= 1e-4)
    #expect(output.residualStream.count == model.configuration.layerCount + 1)
    for (state, expected) in zip(output.residualStream, reference.residualStream) {
      #expect(state.maxAbsoluteDifference(matrix(expected)) <= 1e-4)
    }
    #expect(output.mlpInputs.count == model.configuration.layerCount)
    for (input, expected) in zip(output.mlpInputs, reference.mlpInputs) {
      #expect(input.maxAbsoluteDifference(matrix(expected)) <= 1e-4)
    }
    for (mlpOutput, expected) in zip(output.mlpOutputs, reference.mlpOutputs) {
      #expect(mlpOutput.maxAbsoluteDifference(matrix(expected)) <= 1e-4)
    }
  }

  @Test(arguments: Qwen2Reference.names)
  func kvCacheDecodingEqualsFullForward(name: String) throws {
    let reference = try Qwen2Reference.load(name)
    let model = try Qwen2Model(directory: Qwen2Reference.directory(name), residency: .resident)
    let context = ComputeContext(profile: .exact, threads: 2)
    let full = try model.forward(reference.inputIDs, context: context).logits
    var cache = Qwen2KVCache(configuration: model.configuration)
    // A 3-token prefill, then one token at a time.
    var rows = try model.forward(
      Array(reference.inputIDs.prefix(3)), cache: &cache,
      context: context
    ).logits
    for id in reference.inputIDs.dropFirst(3) {
      rows = rows.concatenatingRows(try model.forward([id], cache: &cache, context: context).logits)
    }
    #expect(cache.count == reference.inputIDs.count)
    // OpenBLAS's sgemm rounds a row differently depending on how many rows share the call
    // (measured: up to ~8 ulp), so decoding matches the full forward to 1e-5 relative to the
    // logit scale rather than bitwise.
    let scale = max(1, full.scalars.map(abs).max() ?? 1)
    #expect(rows.maxAbsoluteDifference(full) <= 1e-5 * scale)
  }

  @Test func exactForwardIsBitwiseIdenticalForOneAndTwoThreads() throws {
    let reference = try Qwen2Reference.load("sharded-f32")
    let model = try Qwen2Model(directory: Qwen2Reference.directory("sharded-f32"))
    let one = try model.forward(
      reference.inputIDs, capture: .residualStream,
      context: ComputeContext(profile: .exact, threads: 1))
    let two = try model.forward(
      reference.inputIDs, capture: .residualStream,
      context: ComputeContext(profile: .exact, threads: 2))
    #expect(one.logits.isBitwiseEqual(to: two.logits))
    for (a, b) in zip(one.residualStream, two.residualStream) { #expect(a.isBitwiseEqual(to: b)) }
  }

  @Test func residentAndStreamedWeightsGiveTheSameBits() throws {
    let reference = try Qwen2Reference.load("untied-bf16")
    let directory = Qwen2Reference.directory("untied-bf16")
    let streamed = try Qwen2Model(directory: directory, residency: .streamed)
    let resident = try Qwen2Model(directory: directory, residency: .resident)
    let a = try streamed.forward(reference.inputIDs, context: .reference).logits
    let b = try resident.forward(reference.inputIDs, context: .reference).logits
    #expect(a.isBitwiseEqual(to: b))
  }

  @Test func outOfVocabularyIDIsAnError() throws {
    let model = try Qwen2Model(directory: Qwen2Reference.directory("tied-bf16"))
    let error = #expect(throws: ModelError.self) {
      try model.forward([1, 64], context: .reference)
    }
    #expect(error?.message == "token id 64 is outside the vocabulary 0..<64")
  }
}
