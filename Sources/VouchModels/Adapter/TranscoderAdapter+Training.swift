// The adapter's forward with saved activations, and its backward, next to each other.
import VouchEngine

extension TranscoderAdapter {
  /// What ``backward(_:outputGradient:featureGradient:context:)`` needs from the forward.
  public struct Activations: Sendable {
    /// The adapter input `u` (the MLP input), `[tokens, d]`.
    public var input: Tensor<Scalar>
    /// `W_enc u + b_enc`, `[tokens, F]`.
    public var preactivation: Tensor<Scalar>
    /// `f = ReLU(W_enc u + b_enc) ⊙ mask`, `[tokens, F]`: what the decoder reads.
    public var features: Tensor<Scalar>
    /// The 0/1 feature mask, `[F]`, or `nil` for all features on.
    public var mask: Tensor<Scalar>?
  }

  /// `T(u) = W_dec f + b_dec` with `f = ReLU(W_enc u + b_enc) ⊙ mask`.
  /// - Parameters:
  ///   - input: `u`, `[tokens, d]`.
  ///   - featureMask: `[F]` of 0 and 1 (ablations; METHOD §1.3), or `nil` for all features on.
  ///   - context: profile and threads.
  /// - Returns: `T(u)`, `[tokens, d]`, and the activations for the backward.
  public func forward(
    _ input: Tensor<Scalar>, featureMask: Tensor<Scalar>? = nil, context: ComputeContext
  ) -> (output: Tensor<Scalar>, activations: Activations) {
    precondition(featureMask.map { $0.shape == [featureCount] } ?? true, "mask must be [F]")
    let preactivation = input.linear(weight: encoderWeight, bias: encoderBias, context: context)
    var features = preactivation.relu()
    if let featureMask { features.multiplyRows(by: featureMask) }
    let output = features.linear(weight: decoderWeight, bias: decoderBias, context: context)
    return (
      output,
      Activations(
        input: input, preactivation: preactivation, features: features, mask: featureMask)
    )
  }

  /// Gradients of ``forward(_:featureMask:context:)``.
  /// - Parameters:
  ///   - activations: from the forward.
  ///   - outputGradient: `∂L/∂T`, `[tokens, d]`.
  ///   - featureGradient: a direct `∂L/∂f` (`[tokens, F]`, the sparsity penalty's), added to
  ///     the one coming back through the decoder; `nil` for none.
  ///   - context: profile and threads.
  /// - Returns: `∂L/∂u` (`[tokens, d]`) and the four parameter gradients (ReLU's subgradient is
  ///   0 at 0; masked features get 0).
  public func backward(
    _ activations: Activations, outputGradient: Tensor<Scalar>,
    featureGradient: Tensor<Scalar>? = nil, context: ComputeContext
  ) -> (input: Tensor<Scalar>, gradients: TranscoderAdapter) {
    let a = activations
    let decoder = Tensor.linearBackward(
      input: a.features, weight: decoderWeight, outputGradient: outputGradient, hasBias: true,
      context: context)
    var featuresGradient = decoder.input
    if let featureGradient { featuresGradient.add(featureGradient) }
    if let mask = a.mask { featuresGradient.multiplyRows(by: mask) }
    let preactivationGradient = Tensor.reluBackward(
      input: a.preactivation, outputGradient: featuresGradient)
    let encoder = Tensor.linearBackward(
      input: a.input, weight: encoderWeight, outputGradient: preactivationGradient,
      hasBias: true, context: context)
    let gradients = TranscoderAdapter(
      encoderWeight: encoder.weight, encoderBias: encoder.bias ?? encoderBias.scaled(by: 0),
      decoderWeight: decoder.weight, decoderBias: decoder.bias ?? decoderBias.scaled(by: 0))
    return (encoder.input, gradients)
  }

  /// Adds `other` to every tensor in place, in ``namedPaths`` order (gradient accumulation).
  public mutating func add(_ other: TranscoderAdapter) {
    for (_, path) in Self.namedPaths { self[keyPath: path].add(other[keyPath: path]) }
  }
}

extension Tensor {
  /// Multiplies every row of `self` (`[…, columns]`) by `vector` (`[columns]`) elementwise.
  mutating func multiplyRows(by vector: Tensor) {
    let columns = shape.last ?? 1
    precondition(vector.count == columns, "row vector \(vector.shape) for rows of \(columns)")
    withUnsafeMutableBufferPointer { out in
      vector.withUnsafeBufferPointer { factor in
        var offset = 0
        while offset < out.count {
          for column in 0..<columns { out[offset + column] *= factor[column] }
          offset += columns
        }
      }
    }
  }
}
