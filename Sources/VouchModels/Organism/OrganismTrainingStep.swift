/// What one optimiser step of ``OrganismTrainer`` did, for logs and claims.
public struct OrganismTrainingStep: Hashable, Sendable {
  /// The 0-based optimiser step.
  public var step: Int
  /// The batch's loss before the update: the mean over its sequences of each sequence's
  /// token-mean cross-entropy (nats).
  public var loss: Double
  /// The learning rate this step used (`lr · m(step)`).
  public var learningRate: Double
  /// The global 2-norm of the trained tensors' gradients before clipping.
  public var gradientNorm: Double
}
