// Trained parameters out: as weights an inference `Qwen2Model` runs on, or as a safetensors file
// under Hugging Face's tensor names.
import VouchEngine

extension Qwen2Parameters {
  /// Every tensor under its checkpoint name, as Float32 (a tied model has no `lm_head.weight`).
  public func inMemoryWeights() -> InMemoryWeights {
    var tensors: [String: Tensor<Float>] = [:]
    for (name, path) in namedPaths { tensors[name] = self[keyPath: path].converted(to: Float.self) }
    return InMemoryWeights(tensors)
  }

  /// A safetensors writer holding every tensor under its checkpoint name, stored as `dtype`
  /// (F32 keeps Float32 parameters exactly).
  /// - Throws: `ModelError` when `dtype` is not writable (F16).
  public func safetensors(as dtype: WeightDType = .float32) throws -> SafetensorsWriter {
    var writer = SafetensorsWriter()
    writer.metadata["format"] = "pt"
    for (name, path) in namedPaths {
      let tensor = self[keyPath: path].converted(to: Float.self)
      try writer.add(name, shape: tensor.shape, values: tensor.scalars, as: dtype)
    }
    return writer
  }
}
