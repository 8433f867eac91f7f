// RelP's linearised backward through the replacement chain (METHOD.md §6.4): the same forward
// trace as training, walked back with `BackwardRule.relp`, the transcoder features as
// stop-gradient leaves. Attribution (Attribution/Attributor.swift) reads its gradients.
import VouchEngine

extension ReplacementModel {
  /// Where a linearised backward enters its first block.
  public enum LinearisedEntry: Sendable {
    /// At the block's output state `h_{b+1}` (`∂y/∂h_{b+1}`, `[tokens, d]`).
    case output(Tensor<Scalar>)
    /// At the block's MLP input `u_b = RMSNorm₂(h'_b)` (`∂y/∂u_b`, `[tokens, d]`).
    case mlpInput(Tensor<Scalar>)
  }

  /// The gradients of one linearised backward: everything gradient × input needs.
  public struct LinearisedGradients: Sendable {
    /// `∂y/∂h_0`, `[tokens, d]`: dotted with each position's embedding row, the token edges.
    public var embedding: Tensor<Scalar>
    /// Keyed by block index `b`: `∂y/∂h_{b+1}`, `[tokens, d]`, the gradient at the state block
    /// `b`'s adapter writes to (so `· W_dec` gives `∂y/∂f_b` and `· b_dec` the bias term).
    /// Only blocks upstream of the injection appear.
    public var adapterOutputs: [Int: Tensor<Scalar>]
    /// Keyed by block index `b`: `∂y/∂v_b`, `[tokens, kvHeads · d_h]`, the value gradient of
    /// the block's attention (its column sums dotted with `b_v` give the value-bias term). Only
    /// blocks whose attention the backward crosses appear.
    public var values: [Int: Tensor<Scalar>]
  }

  /// Back-propagates an injection through the replacement blocks `0 ... block` of `trace`
  /// under RelP (frozen norms and attention patterns, SiLU identity rule, half rule), the
  /// adapters' features held as leaves (nothing flows back through an encoder).
  ///
  /// Block `block` is entered either at its output (`entry` is `.output(∂y/∂h_{block+1})`,
  /// block `block`'s adapter is then a source) or at its MLP input (`.mlpInput(∂y/∂u_block)`,
  /// the input the encoders read; block `block`'s own adapter is then downstream and is not a
  /// source).
  /// - Parameters:
  ///   - trace: a replacement forward from state 0 (``run(from:start:blocks:context:)`` with
  ///     `start == 0` and every block `.replacement`).
  ///   - block: the block the injection enters, `0..<L`.
  ///   - entry: where in that block, with the injected gradient `[tokens, d]`.
  ///   - context: profile and threads.
  /// - Returns: the embedding, adapter-output and value gradients.
  public func linearisedBackward(
    _ trace: Trace, block: Int, entry: LinearisedEntry, context: ComputeContext
  ) -> LinearisedGradients {
    precondition(trace.start == 0 && block >= 0 && block < trace.blocks.count, "block \(block)")
    var gradient: Tensor<Scalar>
    var mlpInputGradient: Tensor<Scalar>?
    switch entry {
    case .output(let injected): gradient = injected
    case .mlpInput(let injected):
      gradient = Tensor(shape: injected.shape)
      mlpInputGradient = injected
    }
    var result = LinearisedGradients(embedding: gradient, adapterOutputs: [:], values: [:])
    for index in stride(from: block, through: 0, by: -1) {
      let saved = trace.blocks[index]
      precondition(saved.block == .replacement, "linearised attribution runs replacement blocks")
      if saved.adapter != nil, index < block || mlpInputGradient == nil {
        result.adapterOutputs[index] = gradient
      }
      let step = layer(.replacement, at: index).inputGradients(
        saved.layer, outputGradient: gradient,
        mlpInputGradient: index == block ? mlpInputGradient : nil, rule: .relp,
        configuration: configuration, context: context)
      result.values[index] = step.value
      gradient = step.input
    }
    result.embedding = gradient
    return result
  }

  /// `∂y/∂h_L` for an injection `∂y/∂z` at the output `z = RMSNorm_f(h_L)` of R's final norm,
  /// its scale frozen (RelP): `γ_f ⊙ ∂y/∂z / rms(h_L)`, `[tokens, d]`.
  public func linearisedFinalNormBackward(
    _ last: Tensor<Scalar>, normalizedGradient: Tensor<Scalar>
  ) -> Tensor<Scalar> {
    target.finalNormBackward(last, normalizedGradient: normalizedGradient, rule: .relp).input
  }
}
