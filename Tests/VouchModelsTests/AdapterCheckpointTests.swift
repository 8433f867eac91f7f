import Foundation
import Testing
import VouchEngine
import VouchTestSupport

@testable import VouchModels

/// Adapter checkpoints: a bit-exact round trip and strict loading.
@Suite("Adapter checkpoints")
struct AdapterCheckpointTests {
  static func adapters() -> [TranscoderAdapter<Float>] {
    var generator = SeededGenerator(seed: 111)
    return (0..<2).map { _ in
      AdapterTestSupport.adapter(hiddenSize: 8, featureCount: 5, generator: &generator)
        .converted(to: Float.self)
    }
  }

  @Test func roundTripsBitForBit() throws {
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("adapters.safetensors")
    let adapters = Self.adapters()
    try TranscoderAdapter.safetensors(adapters).write(to: url)
    let loaded = try TranscoderAdapter<Float>.load(
      from: SafetensorsFile(url: url), layerCount: 2, hiddenSize: 8)
    for (original, reloaded) in zip(adapters, loaded) {
      for (_, path) in TranscoderAdapter<Float>.namedPaths {
        #expect(reloaded[keyPath: path].isBitwiseEqual(to: original[keyPath: path]))
      }
    }
  }

  @Test func missingExtraAndMisshapenTensorsAreRejected() throws {
    var tensors: [String: Tensor<Float>] = [:]
    for (layer, adapter) in Self.adapters().enumerated() {
      for (suffix, path) in TranscoderAdapter<Float>.namedPaths {
        tensors[TranscoderAdapter<Float>.tensorName(layer: layer, suffix)] = adapter[keyPath: path]
      }
    }
    func load(_ tensors: [String: Tensor<Float>], layers: Int = 2, width: Int = 8) throws {
      _ = try TranscoderAdapter<Float>.load(
        from: InMemoryWeights(tensors), layerCount: layers, hiddenSize: width)
    }
    #expect(throws: Never.self) { try load(tensors) }
    var missing = tensors
    missing["adapter.layers.1.decoder.bias"] = nil
    #expect(throws: ModelError.self) { try load(missing) }
    #expect((try? load(tensors, layers: 1)) == nil, "layer 1 is unexpected for one layer")
    #expect((try? load(tensors, width: 6)) == nil)
    var misshapen = tensors
    misshapen["adapter.layers.1.encoder.bias"] = Tensor(shape: [4])
    let error = #expect(throws: ModelError.self) { try load(misshapen) }
    #expect(error?.code == .mismatch)
  }
}
