// One evaluation of the adapter objective on one sequence: every term's value and the adapters'
// gradients of the weighted total, from one backward (METHOD.md §2.6, §8.4 steps a–e).
import VouchEngine

extension AdapterObjective {
  /// The terms of the objective on `ids` for cutoff `k`, and `∂L/∂(adapter parameters)`.
  ///
  /// Passes (METHOD §8.4): R's forward (states `h_ℓ`, the target distribution `p`), the
  /// replacement forward (states `ĥ_ℓ`, features `f_ℓ`), the a2r tail (R's blocks `k..<L` on
  /// `ĥ_k`) when `k > 0`, the r2a tail (replacement blocks `k..<L` on `h_k`) when `k < L`.
  /// Backward: the a2r tail's input gradient and the NMSE gradients join the replacement
  /// chain's at their states; the r2a tail's adapter gradients are added last. R, B and the
  /// embeddings are frozen; R's blocks still pass gradients through. With `bridgingWeight = 0`
  /// (the no-bridging ablation, `n_cutoffs = 0`) the tails are not run at all.
  /// - Parameters:
  ///   - model: the replacement model (its enabled adapters and masks apply to every
  ///     replacement block, also in the r2a tail).
  ///   - ids: one sequence, `T ≥ 2` ids, each in the vocabulary; `T − 1` positions predict.
  ///   - k: the cutoff, `0…L`.
  ///   - context: profile and threads.
  /// - Returns: the terms, one gradient per layer (zero for a disabled adapter) and the
  ///   features that fired.
  public func evaluate<Scalar: TensorScalar>(
    _ model: ReplacementModel<Scalar>, ids: [Int], cutoff k: Int, context: ComputeContext
  ) -> AdapterEvaluation<Scalar> {
    let layers = model.layerCount
    precondition(ids.count >= 2, "the objective needs a sequence of at least 2 tokens")
    precondition((0...layers).contains(k), "cutoff \(k) outside 0...\(layers)")
    let positions = ids.count - 1
    let embedded = model.embed(ids)
    let targetBlocks = [ReplacementModel<Scalar>.Block](repeating: .target, count: layers)
    let replacementBlocks = [ReplacementModel<Scalar>.Block](
      repeating: .replacement, count: layers)
    let reference = model.run(from: embedded, start: 0, blocks: targetBlocks, context: context)
    let targetLogits = model.logits(reference.output, context: context).rows(0..<positions)

    // KL(p_R ‖ q) over the predicting positions and ∂(weight·KL)/∂h at the end of `trace`.
    func divergence(_ trace: ReplacementModel<Scalar>.Trace, weight: Double)
      -> (value: Double, gradient: Tensor<Scalar>)
    {
      let logits = model.logits(trace.output, context: context)
      let kl = Loss.tokenKL(targetLogits: targetLogits, modelLogits: logits.rows(0..<positions))
      let padded = kl.gradient.scaled(by: Scalar(weight)).concatenatingRows(
        Tensor(shape: [ids.count - positions, logits.shape[1]]))
      return (kl.loss, model.logitsBackward(trace.output, logitsGradient: padded, context: context))
    }

    let main = model.run(from: embedded, start: 0, blocks: replacementBlocks, context: context)
    let output = divergence(main, weight: outputWeight)
    var stateGradients: [Int: Tensor<Scalar>] = [:]
    var nmse: [Double] = []
    for state in 0...layers {
      let term = AdapterLoss.normalizedSquaredError(
        model: main.states[state], target: reference.states[state],
        scale: nmseWeight / Double(layers + 1))
      nmse.append(term.value)
      stateGradients[state] = term.gradient
    }
    var forwardBridge: Double?
    if k > 0 && bridgingWeight != 0 {
      let tail = model.run(
        from: main.states[k], start: k, blocks: Array(targetBlocks[k...]), context: context)
      let bridge = divergence(tail, weight: bridgingWeight)
      forwardBridge = bridge.value
      let back = model.backward(tail, outputGradient: bridge.gradient, context: context)
      stateGradients[k, default: Tensor(shape: embedded.shape)].add(back.input)
    }
    var featureGradients: [Int: Tensor<Scalar>] = [:]
    var decoderGradients: [Int: Tensor<Scalar>] = [:]
    var sparsity = [Double](repeating: 0, count: layers)
    var active = [Double](repeating: 0, count: layers)
    var fired = model.adapters.map { [Bool](repeating: false, count: $0.featureCount) }
    for (index, block) in main.blocks.enumerated() {
      guard let features = block.adapter?.features else { continue }
      let term = AdapterLoss.sparsity(
        features: features, decoder: model.adapters[index].decoderWeight,
        scale: sparsityWeight)
      sparsity[index] = term.value
      active[index] = AdapterLoss.activeFeatureCount(features)
      fired[index] = AdapterLoss.firedFeatures(features)
      featureGradients[index] = term.features
      decoderGradients[index] = term.decoder
    }
    let chain = model.backward(
      main, outputGradient: output.gradient, stateGradients: stateGradients,
      featureGradients: featureGradients, context: context)
    var gradients = model.adapters.map {
      TranscoderAdapter<Scalar>(hiddenSize: $0.hiddenSize, featureCount: $0.featureCount)
    }
    for (index, gradient) in chain.adapters {
      gradients[index] = gradient
      if let decoder = decoderGradients[index] { gradients[index].decoderWeight.add(decoder) }
    }
    var backwardBridge: Double?
    if k < layers && bridgingWeight != 0 {
      let tail = model.run(
        from: reference.states[k], start: k, blocks: Array(replacementBlocks[k...]),
        context: context)
      let bridge = divergence(tail, weight: bridgingWeight)
      backwardBridge = bridge.value
      let back = model.backward(tail, outputGradient: bridge.gradient, context: context)
      for index in k..<layers {
        if let gradient = back.adapters[index] { gradients[index].add(gradient) }
      }
    }
    let meanNMSE = nmse.reduce(0, +) / Double(layers + 1)
    let bridges = (forwardBridge ?? 0) + (backwardBridge ?? 0)
    let total =
      outputWeight * output.value + sparsityWeight * sparsity.reduce(0, +)
      + nmseWeight * meanNMSE + bridgingWeight * bridges
    let terms = AdapterLossTerms(
      cutoff: k, outputKL: output.value, nmse: nmse, sparsity: sparsity, activeFeatures: active,
      adapterToTargetKL: forwardBridge, targetToAdapterKL: backwardBridge, total: total)
    return AdapterEvaluation(terms: terms, gradients: gradients, fired: fired)
  }
}
