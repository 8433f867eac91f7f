/// The value of every term of ``AdapterObjective`` on one sequence, for one cutoff `k`.
public struct AdapterLossTerms: Hashable, Sendable, Codable {
  /// The bridging cutoff `k` these terms used.
  public var cutoff: Int
  /// `KL(p_R ‖ q_replacement)`, nats, mean over the `T − 1` predicting positions.
  public var outputKL: Double
  /// `NMSE_ℓ` for the states `ℓ = 0 … L` (`NMSE_0 = 0`: R's embeddings are shared).
  public var nmse: [Double]
  /// `S_ℓ` for each layer's adapter, unweighted (0 for a disabled adapter).
  public var sparsity: [Double]
  /// L0 per layer: the mean over tokens of the features with `f > 0`.
  public var activeFeatures: [Double]
  /// `KL_a2r(k)`: replacement blocks `0..<k`, then R's; `nil` when `k = 0` or bridging is off.
  public var adapterToTargetKL: Double?
  /// `KL_r2a(k)`: R's blocks `0..<k`, then replacement blocks; `nil` when `k = L` or bridging is
  /// off.
  public var targetToAdapterKL: Double?
  /// The weighted total the gradients belong to.
  public var total: Double

  /// `(1/(L+1)) Σ_ℓ NMSE_ℓ`, the layer-averaged NMSE (the zero `ℓ = 0` term counted).
  public var meanNMSE: Double { nmse.reduce(0, +) / Double(max(1, nmse.count)) }
  /// `Σ_ℓ S_ℓ`, the unweighted sparsity penalty.
  public var totalSparsity: Double { sparsity.reduce(0, +) }
  /// The mean of the per-layer L0s (the headline "L0").
  public var meanActiveFeatures: Double {
    activeFeatures.reduce(0, +) / Double(max(1, activeFeatures.count))
  }
}
