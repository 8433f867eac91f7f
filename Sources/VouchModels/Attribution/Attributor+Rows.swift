// One attribution row per target: inject, back-propagate under RelP, read gradient × input at
// every leaf (METHOD.md §6.4, completeness §10.7).
import VouchEngine

extension Attributor {
  /// The row of the logit of `token` at the last position: injection `w_token − mean w` at
  /// `RMSNorm_f(h_L)[T−1]`, value `⟨w_token − mean w, RMSNorm_f(h_L)[T−1]⟩`.
  /// - Precondition: `token` is in the vocabulary.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func logitRow(token: Int) -> AttributionRow {
    let c = model.configuration
    precondition((0..<c.vocabularySize).contains(token), "token \(token)")
    let injection = demeanedUnembedding(token)
    let last = tokenCount - 1
    let seed = Self.oneRow(injection, at: last, rows: tokenCount)
    let value = finalNormalized.withUnsafeBufferPointer { z in
      Self.dot(injection, z, offset: last * c.hiddenSize)
    }
    let stateGradient = model.linearisedFinalNormBackward(trace.output, normalizedGradient: seed)
    let gradients = model.linearisedBackward(
      trace, block: c.layerCount - 1, entry: .output(stateGradient), context: context)
    return decompose(gradients, value: value)
  }

  /// The row of feature `target`: injection `W_enc[i]` at the MLP input `u_ℓ[p]` it reads
  /// (entering `h'_ℓ[p]` through `γ_{ℓ,2} ⊙ · / rms` with ε inside the rms), value
  /// `⟨W_enc[i], u_ℓ[p]⟩` without `b_enc`. Sources are the features of earlier layers at the
  /// same or earlier positions, the tokens and the biases.
  /// - Precondition: the address is inside the model and the prompt.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func featureRow(_ target: FeatureAddress) -> AttributionRow {
    let c = model.configuration
    precondition(
      (0..<c.layerCount).contains(target.layer) && (0..<tokenCount).contains(target.position)
        && (0..<model.adapters[target.layer].featureCount).contains(target.index),
      "feature \(target)")
    let encoder = model.adapters[target.layer].encoderWeight
    let injection = encoder.rows(target.index..<(target.index + 1)).scalars
    let input = trace.blocks[target.layer].layer.mlp.input
    let value = input.withUnsafeBufferPointer { u in
      Self.dot(injection, u, offset: target.position * c.hiddenSize)
    }
    let seed = Self.oneRow(injection, at: target.position, rows: tokenCount)
    let gradients = model.linearisedBackward(
      trace, block: target.layer, entry: .mlpInput(seed), context: context)
    return decompose(gradients, value: value)
  }

  /// Gradient × input at every leaf of one linearised backward.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  func decompose(_ g: ReplacementModel<Scalar>.LinearisedGradients, value: Double)
    -> AttributionRow
  {
    let d = model.configuration.hiddenSize
    var featureEdges = [Double](repeating: 0, count: active.count)
    var bias = 0.0
    for layer in 0..<model.layerCount {
      guard let output = g.adapterOutputs[layer] else { continue }
      let adapter = model.adapters[layer]
      let featureGradient = output.matmul(adapter.decoderWeight, context: context)
      let width = adapter.featureCount
      featureGradient.withUnsafeBufferPointer { gradient in
        for (slot, address) in active.enumerated() where address.layer == layer {
          featureEdges[slot] =
            activations[slot] * Double(gradient[address.position * width + address.index])
        }
      }
      bias += Self.columnSumDot(output, adapter.decoderBias)
    }
    for layer in 0..<model.layerCount {
      guard let valueGradient = g.values[layer] else { continue }
      bias += Self.columnSumDot(valueGradient, model.hybrid.layers[layer].valueBias)
    }
    let embeddings = model.embed(ids)
    let tokenEdges = embeddings.withUnsafeBufferPointer { e in
      g.embedding.withUnsafeBufferPointer { gradient in
        (0..<tokenCount).map { position in
          var sum = 0.0
          for column in 0..<d {
            sum += Double(gradient[position * d + column]) * Double(e[position * d + column])
          }
          return sum
        }
      }
    }
    return AttributionRow(
      value: value, featureEdges: featureEdges, tokenEdges: tokenEdges, biasTotal: bias)
  }

  /// `[rows, d]` zeros with `vector` in row `row`.
  static func oneRow(_ vector: [Scalar], at row: Int, rows: Int) -> Tensor<Scalar> {
    let width = vector.count
    return Tensor(shape: [rows, width]) { out in
      for column in 0..<width { out[row * width + column] = vector[column] }
    }
  }

  /// `Σ_j a[j] · b[offset + j]` in `Double`, in index order.
  static func dot(_ a: [Scalar], _ b: UnsafeBufferPointer<Scalar>, offset: Int) -> Double {
    var sum = 0.0
    for (j, value) in a.enumerated() { sum += Double(value) * Double(b[offset + j]) }
    return sum
  }

  /// `Σ_rows Σ_j m[row, j] · v[j]` in `Double`, rows then columns in order: the bias term
  /// `⟨Σ_p ∂/∂x[p], b⟩` of a bias `b` added at every position.
  static func columnSumDot(_ m: Tensor<Scalar>, _ v: Tensor<Scalar>) -> Double {
    let width = v.count
    return m.withUnsafeBufferPointer { gradient in
      v.withUnsafeBufferPointer { bias in
        var sum = 0.0
        var offset = 0
        while offset < gradient.count {
          for j in 0..<width { sum += Double(gradient[offset + j]) * Double(bias[j]) }
          offset += width
        }
        return sum
      }
    }
  }
}
