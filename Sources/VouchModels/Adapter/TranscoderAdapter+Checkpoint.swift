// Adapter checkpoints: one safetensors file holding only the adapters (R and B are artifacts of
// their own), under `adapter.layers.<i>.{encoder,decoder}.{weight,bias}`, loaded strictly.
import VouchEngine

extension TranscoderAdapter {
  /// The checkpoint name of `suffix` (`encoder.weight`, …) in layer `layer`'s adapter.
  public static func tensorName(layer: Int, _ suffix: String) -> String {
    "adapter.layers.\(layer).\(suffix)"
  }

  /// A safetensors writer holding every adapter of `adapters` (layer 0 first) as Float32, with
  /// `format = pt` metadata (Python's `safetensors.torch.load_file` reads it).
  /// - Throws: `ModelError` from the writer (not expected for Float32).
  public static func safetensors(_ adapters: [TranscoderAdapter]) throws -> SafetensorsWriter {
    var writer = SafetensorsWriter()
    writer.metadata["format"] = "pt"
    for (layer, adapter) in adapters.enumerated() {
      for (suffix, path) in namedPaths {
        let tensor = adapter[keyPath: path].converted(to: Float.self)
        try writer.add(
          tensorName(layer: layer, suffix), shape: tensor.shape, values: tensor.scalars)
      }
    }
    return writer
  }

  /// The adapters of a checkpoint for a model of `layerCount` blocks of width `hiddenSize`.
  ///
  /// Strict, like the model loader: every `adapter.layers.<i>.*` tensor for `i < layerCount`
  /// must be present with shapes `[F, d]`, `[F]`, `[d, F]`, `[d]` for one `F > 0`, and the
  /// source may hold nothing else.
  /// - Throws: `ModelError(.missing)` naming the first missing tensor, `ModelError(.mismatch)`
  ///   for a wrong shape, `ModelError(.malformed)` for an unexpected tensor.
  public static func load(
    from source: any WeightSource, layerCount: Int, hiddenSize: Int
  ) throws -> [TranscoderAdapter] {
    let first = tensorName(layer: 0, "encoder.weight")
    guard let encoderShape = source.shapeAndType(of: first)?.shape else {
      throw ModelError(.missing, "adapter checkpoint has no '\(first)'; is it an adapter file?")
    }
    let features = encoderShape.first ?? 0
    let expected: [String: [Int]] = [
      "encoder.weight": [features, hiddenSize], "encoder.bias": [features],
      "decoder.weight": [hiddenSize, features], "decoder.bias": [hiddenSize],
    ]
    var names: Set<String> = []
    let adapters = try (0..<layerCount).map { layer -> TranscoderAdapter in
      var adapter = TranscoderAdapter(hiddenSize: hiddenSize, featureCount: max(features, 0))
      for (suffix, path) in namedPaths {
        let name = tensorName(layer: layer, suffix)
        let shape = expected[suffix] ?? []
        guard let stored = source.shapeAndType(of: name) else {
          throw ModelError(.missing, "adapter checkpoint lacks '\(name)'; re-export all layers")
        }
        guard stored.shape == shape, features > 0 else {
          throw ModelError(
            .mismatch,
            "adapter tensor '\(name)' has shape \(stored.shape), expected \(shape) for a model "
              + "of width \(hiddenSize); use adapters trained for this model")
        }
        adapter[keyPath: path] = try source.tensor(name, shape: shape).converted(to: Scalar.self)
        names.insert(name)
      }
      return adapter
    }
    if let extra = source.tensorNames.first(where: { !names.contains($0) }) {
      throw ModelError(
        .malformed,
        "adapter checkpoint holds unexpected tensor '\(extra)' (the model has \(layerCount) "
          + "layers); remove it or use the matching model")
    }
    return adapters
  }
}
