/// What one optimiser step of ``AdapterTrainer`` did (METHOD §8.4's per-step log).
public struct AdapterTrainingStep: Hashable, Sendable, Codable {
  /// The 0-based optimiser step.
  public var step: Int
  /// The index of the training sequence this step used.
  public var sequence: Int
  /// The learning rate this step used (`lr · m(step)`; 0 on step 0).
  public var learningRate: Double
  /// The global 2-norm of the adapters' gradients before clipping.
  public var gradientNorm: Double
  /// Every loss term before the update, including the cutoff `k`, out-KL, NMSE_ℓ, a2r/r2a KL
  /// and L0 per layer.
  public var terms: AdapterLossTerms
  /// Per layer, the features that have not fired in the last 100 or more sequences (METHOD §3's
  /// "dead ≥ 100"; the counter starts at the run's first sequence).
  public var deadFeatures: [Int]
  /// Per layer, the features that have not fired in the last 1,000 or more sequences.
  public var longDeadFeatures: [Int]
}
