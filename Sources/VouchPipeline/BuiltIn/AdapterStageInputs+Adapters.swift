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
    let folder = try parameters.inputPath("adapters", in: directory)
    do {
      let checkpoint = try SafetensorsFile(
        url: folder.appendingPathComponent(AdapterTrainStage.checkpointName))
      let adapters = try TranscoderAdapter<Float>.load(
        from: checkpoint, layerCount: target.configuration.layerCount,
        hiddenSize: target.configuration.hiddenSize)
      return try ReplacementModel(target: target, base: base, adapters: adapters)
    } catch let error as ModelError {
      throw parameters.error("adapters", "cannot be loaded: \(error.message)")
    }
  }
}
