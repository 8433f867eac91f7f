import Foundation
import VouchModels

extension AdapterStageInputs {
  /// The replacement model of R, B and the adapters in the `adapters` parameter's folder (an
  /// `adapter-train` output).
  /// - Throws: `PipelineError.usage` naming `adapters` when the checkpoint cannot be loaded or
  ///   does not fit the models.
  func replacementModel(_ parameters: StageParameters, in directory: URL) throws
    -> ReplacementModel<Float>
  {
    let adapters = try Self.adapters(
      "adapters", parameters, in: directory, configuration: target.configuration)
    do {
      return try ReplacementModel(target: target, base: base, adapters: adapters)
    } catch let error as ModelError {
      throw parameters.error("adapters", "cannot be loaded: \(error.message)")
    }
  }

  /// The adapters of the `adapter-train` output folder named by parameter `key`, checked
  /// against a model of `configuration`.
  /// - Throws: `PipelineError.usage` naming the parameter when the checkpoint is missing,
  ///   malformed or does not fit the model.
  static func adapters(
    _ key: String, _ parameters: StageParameters, in directory: URL,
    configuration: Qwen2Configuration
  ) throws -> [TranscoderAdapter<Float>] {
    try adapters(
      in: try parameters.inputPath(key, in: directory), key: key, parameters,
      configuration: configuration)
  }

  /// The adapters of the `adapter-train` output `folder`, named by parameter `key` in errors.
  static func adapters(
    in folder: URL, key: String, _ parameters: StageParameters,
    configuration: Qwen2Configuration
  ) throws -> [TranscoderAdapter<Float>] {
    do {
      let checkpoint = try SafetensorsFile(
        url: folder.appendingPathComponent(AdapterTrainStage.checkpointName))
      return try TranscoderAdapter<Float>.load(
        from: checkpoint, layerCount: configuration.layerCount,
        hiddenSize: configuration.hiddenSize)
    } catch let error as ModelError {
      throw parameters.error(key, "cannot be loaded: \(error.message)")
    }
  }
}
