// Training forward (Qwen2Model.forward's op sequence, positions from 0, no cache) and backward
// of the whole model, next to each other.
import VouchEngine

extension Qwen2Parameters {
  /// What ``backward(_:logitsGradient:context:)`` needs from the forward.
  public struct Activations: Sendable {
    /// The input ids.
    public var ids: [Int]
    /// Each block's activations, in order.
    public var layers: [Qwen2LayerParameters<Scalar>.Activations]
    /// The residual stream after the last block, `[tokens, d]`.
    public var lastResidual: Tensor<Scalar>
    /// `RMSNorm(lastResidual)`, `[tokens, d]`.
    public var finalHidden: Tensor<Scalar>
  }

  /// Logits `[tokens, vocab]` for `ids` (each in `0..<vocab`) at positions `0..<tokens`, and the
  /// activations for the backward.
  public func forward(_ ids: [Int], context: ComputeContext)
    -> (logits: Tensor<Scalar>, activations: Activations)
  {
    let c = configuration
    var hidden = embedding.gatherRows(ids)
    var saved: [Qwen2LayerParameters<Scalar>.Activations] = []
    for layer in layers {
      let step = layer.forward(hidden, configuration: c, context: context)
      hidden = step.output
      saved.append(step.activations)
    }
    let finalHidden = finalNormalized(hidden)
    let logits = finalHidden.linear(weight: head, context: context)
    return (
      logits,
      Activations(
        ids: ids, layers: saved, lastResidual: hidden, finalHidden: finalHidden)
    )
  }

  /// Every parameter's gradient (same structure) for `∂L/∂logits` `[tokens, vocab]`.
  ///
  /// The embedding gradient is the scatter-add of the input gradient in token order; for a tied
  /// model the LM-head gradient is then added to it.
  public func backward(
    _ activations: Activations, logitsGradient: Tensor<Scalar>, context: ComputeContext
  ) -> Qwen2Parameters {
    let c = configuration
    var grads = self
    let headGradients = Tensor.linearBackward(
      input: activations.finalHidden, weight: head, outputGradient: logitsGradient,
      context: context)
    let norm = finalNormBackward(
      activations.lastResidual, normalizedGradient: headGradients.input)
    grads.finalNormGain = norm.gain
    var hiddenGradient = norm.input
    for index in layers.indices.reversed() {
      let step = layers[index].backward(
        activations.layers[index], outputGradient: hiddenGradient, configuration: c,
        context: context)
      hiddenGradient = step.input
      grads.layers[index] = step.gradients
    }
    grads.embedding = Tensor.scatterAddRows(
      hiddenGradient, ids: activations.ids, rows: c.vocabularySize)
    if c.tieWordEmbeddings {
      grads.embedding.add(headGradients.weight)
    } else {
      grads.unembedding = headGradients.weight
    }
    return grads
  }
}
