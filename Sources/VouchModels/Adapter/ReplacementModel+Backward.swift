// Backward through a run of blocks (ReplacementModel+Forward.swift): input gradients through
// the frozen weights, parameter gradients for the adapters that ran.
import VouchEngine

extension ReplacementModel {
  /// Gradients of a ``Trace``.
  ///
  /// Walking from the last block down, the gradient reaching state `h_ℓ` is the one coming back
  /// through block `ℓ` (or `outputGradient` at the end), then `stateGradients[ℓ]` added to it;
  /// a block with an adapter adds the adapter's `∂L/∂u` to its MLP's. Every sum has this fixed
  /// order, so the bits do not depend on threads.
  /// - Parameters:
  ///   - trace: from ``run(from:start:blocks:context:)``.
  ///   - outputGradient: `∂L/∂h_end`, `[tokens, d]`, before `stateGradients[end]` is added.
  ///   - stateGradients: extra `∂L/∂h_ℓ` (`[tokens, d]`) keyed by state index `ℓ` in
  ///     `start...end` (e.g. the NMSE terms, or a bridging tail's gradient at its cutoff).
  ///   - featureGradients: a direct `∂L/∂f_ℓ` (`[tokens, F]`) keyed by block index.
  ///   - context: profile and threads.
  /// - Returns: `∂L/∂h_start` (`[tokens, d]`) and, keyed by block index, the gradients of the
  ///   adapters that ran.
  public func backward(
    _ trace: Trace, outputGradient: Tensor<Scalar>, stateGradients: [Int: Tensor<Scalar>] = [:],
    featureGradients: [Int: Tensor<Scalar>] = [:], context: ComputeContext
  ) -> (input: Tensor<Scalar>, adapters: [Int: TranscoderAdapter<Scalar>]) {
    var gradient = outputGradient
    if let extra = stateGradients[trace.end] { gradient.add(extra) }
    var adapterGradients: [Int: TranscoderAdapter<Scalar>] = [:]
    for offset in trace.blocks.indices.reversed() {
      let index = trace.start + offset
      let saved = trace.blocks[offset]
      var mlpInputGradient: Tensor<Scalar>?
      if let adapterActivations = saved.adapter {
        let adapted = adapters[index].backward(
          adapterActivations, outputGradient: gradient, featureGradient: featureGradients[index],
          context: context)
        mlpInputGradient = adapted.input
        adapterGradients[index] = adapted.gradients
      }
      gradient = layer(saved.block, at: index).inputGradient(
        saved.layer, outputGradient: gradient, mlpInputGradient: mlpInputGradient,
        configuration: configuration, context: context)
      if let extra = stateGradients[index] { gradient.add(extra) }
    }
    return (gradient, adapterGradients)
  }
}
