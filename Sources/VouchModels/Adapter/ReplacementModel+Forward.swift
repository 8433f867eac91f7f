// Forward passes over a run of blocks, each block R's or the replacement's, with what the
// backward needs saved: the replacement chain, the target chain and METHOD §2.5's spliced
// `forward_mixed` passes are all such runs.
import VouchEngine

extension ReplacementModel {
  /// One block's saved activations.
  public struct BlockActivations: Sendable {
    /// What the block ran.
    public var block: Block
    /// The frozen block's activations (attention, norms, MLP).
    public var layer: Qwen2LayerParameters<Scalar>.Activations
    /// The adapter's activations, when it ran.
    public var adapter: TranscoderAdapter<Scalar>.Activations?
  }

  /// A forward through blocks `start ..< start + blocks.count` from a residual state.
  public struct Trace: Sendable {
    /// The index of the first block run.
    public var start: Int
    /// Residual states `h_start … h_end`, `[tokens, d]` each (`blocks.count + 1` of them).
    public var states: [Tensor<Scalar>]
    /// Each block's activations, in order.
    public var blocks: [BlockActivations]

    /// The last state, `h_end`, `[tokens, d]`.
    public var output: Tensor<Scalar> { states[states.count - 1] }
    /// The index of the state after the last block.
    public var end: Int { start + blocks.count }
  }

  /// `h_0`: R's embedding rows of `ids`, `[tokens, d]` (R and the replacement share them).
  /// - Precondition: every id is in `0..<vocabularySize`.
  public func embed(_ ids: [Int]) -> Tensor<Scalar> {
    target.embedding.gatherRows(ids)
  }

  /// Runs `blocks[i]` as block `start + i` from `hidden` (the state `h_start`).
  /// - Parameters:
  ///   - hidden: `h_start`, `[tokens, d]`, tokens at positions `0..<tokens`.
  ///   - start: the first block's index.
  ///   - blocks: one kind per block run; `start + blocks.count ≤ L`.
  ///   - context: profile and threads.
  /// - Returns: every state and the activations for
  ///   ``backward(_:outputGradient:stateGradients:featureGradients:context:)``.
  public func run(
    from hidden: Tensor<Scalar>, start: Int, blocks: [Block], context: ComputeContext
  ) -> Trace {
    precondition(start >= 0 && start + blocks.count <= layerCount, "blocks outside the model")
    precondition(
      adapterEnabled.count == layerCount && featureMasks.count == layerCount,
      "adapterEnabled and featureMasks need one entry per layer")
    var trace = Trace(start: start, states: [hidden], blocks: [])
    var current = hidden
    for (offset, block) in blocks.enumerated() {
      let index = start + offset
      let step = layer(block, at: index).forward(
        current, configuration: configuration, context: context)
      current = step.output
      var adapterActivations: TranscoderAdapter<Scalar>.Activations?
      if runsAdapter(block, at: index) {
        let adapted = adapters[index].forward(
          step.activations.mlp.input, featureMask: featureMasks[index], context: context)
        current.add(adapted.output)
        adapterActivations = adapted.activations
      }
      trace.states.append(current)
      trace.blocks.append(
        BlockActivations(block: block, layer: step.activations, adapter: adapterActivations))
    }
    return trace
  }

  /// The whole model from the embeddings with block `ℓ` of kind `blocks[ℓ]` (`L` kinds): all
  /// `.replacement` is the replacement (or, adapters off, hybrid) model, all `.target` is R,
  /// a mix is a partial replacement (METHOD §5.1).
  /// - Returns: the trace (states `h_0 … h_L`) and logits `[tokens, V]`.
  public func forward(_ ids: [Int], blocks: [Block], context: ComputeContext)
    -> (trace: Trace, logits: Tensor<Scalar>)
  {
    precondition(blocks.count == layerCount, "one block kind per layer")
    let trace = run(from: embed(ids), start: 0, blocks: blocks, context: context)
    return (trace, logits(trace.output, context: context))
  }

  /// The feature activations `f` of every replacement block on `ids` (no head: what L0,
  /// liveness and feature statistics read): per layer `[tokens, F]`, or `nil` where the
  /// adapter is switched off.
  public func featureActivations(_ ids: [Int], context: ComputeContext) -> [Tensor<Scalar>?] {
    let blocks = [Block](repeating: .replacement, count: layerCount)
    return run(from: embed(ids), start: 0, blocks: blocks, context: context).blocks.map {
      $0.adapter?.features
    }
  }

  /// R's final RMSNorm and LM head on `h_L`: logits `[tokens, V]`.
  public func logits(_ last: Tensor<Scalar>, context: ComputeContext) -> Tensor<Scalar> {
    target.logits(last, context: context)
  }

  /// `∂L/∂h_L` `[tokens, d]` from `∂L/∂logits` `[tokens, V]` through R's frozen norm and head.
  public func logitsBackward(
    _ last: Tensor<Scalar>, logitsGradient: Tensor<Scalar>, context: ComputeContext
  ) -> Tensor<Scalar> {
    target.logitsBackward(last, logitsGradient: logitsGradient, context: context)
  }
}
