import Foundation
import VouchModels

/// The results JSON of `adapter-evaluate` (snake-case keys, sorted), METHOD.md §5.1 on the
/// validation split. Every KL is `KL(p_R ‖ q_M)` in nats per predicting position, averaged over
/// sequences with equal weight.
struct AdapterResults: Encodable {
  /// Validation sequences measured.
  var sequences: Int
  /// `F`, features per layer.
  var features: Int
  /// `KL(p_R ‖ q_replacement)`: R against B's MLPs plus the adapters.
  var replacementKL: Double
  /// `KL(p_R ‖ q_hybrid)`: R against B's MLPs alone (adapters off).
  var hybridKL: Double
  /// `KL(p_R ‖ q_B)`: R against the whole of B.
  var baseKL: Double
  /// `1 − replacement/hybrid`, the share of the hybrid's divergence the adapters close (0 when
  /// the hybrid already matches R).
  var fractionOfKLClosed: Double
  /// `NMSE_ℓ` of the replacement's residual states against R's, `ℓ = 0 … L`.
  var nmse: [Double]
  /// First-`k` partial replacement KL, `k = 0 … L` (`k = L` is the full replacement).
  var firstKKL: [Double]
  /// Last-`k` partial replacement KL, `k = 0 … L`.
  var lastKKL: [Double]
  /// Single-layer replacement KL, one per layer.
  var singleLayerKL: [Double]
  /// Per layer, L0: active features per token on the replacement forward.
  var l0: [Double]
  /// The mean of ``l0`` over layers (the headline L0).
  var meanL0: Double
  /// The largest KL of any partial replacement (first `k` or last `k` for `0 < k < L`, or a
  /// single layer): the paper's Fig. 3 finds it below the full replacement's with bridging.
  var maxPartialKL: Double
  /// ``maxPartialKL`` over ``replacementKL`` (`null` when the latter is 0): below 1 when no
  /// partial replacement diverges more than the full one.
  var maxPartialOverFull: Double?

  private enum CodingKeys: String, CodingKey {
    case sequences, features, nmse
    case replacementKL = "replacement_kl"
    case hybridKL = "hybrid_kl"
    case baseKL = "base_kl"
    case fractionOfKLClosed = "fraction_of_kl_closed"
    case firstKKL = "first_k_kl"
    case lastKKL = "last_k_kl"
    case singleLayerKL = "single_layer_kl"
    case l0
    case meanL0 = "mean_l0"
    case maxPartialKL = "max_partial_kl"
    case maxPartialOverFull = "max_partial_over_full"
  }

  /// The results of `faithfulness` for adapters of `features` features with per-layer `l0`.
  init(_ faithfulness: AdapterFaithfulness, features: Int, l0: [Double]) {
    sequences = faithfulness.sequenceCount
    self.features = features
    replacementKL = faithfulness.replacementKL
    hybridKL = faithfulness.hybridKL
    baseKL = faithfulness.baseKL
    fractionOfKLClosed = faithfulness.fractionOfKLClosed ?? 0
    nmse = faithfulness.nmse
    firstKKL = faithfulness.firstKL
    lastKKL = faithfulness.lastKL
    singleLayerKL = faithfulness.singleLayerKL
    self.l0 = l0
    meanL0 = l0.reduce(0, +) / Double(max(1, l0.count))
    let inner = { (values: [Double]) in values.dropFirst().dropLast() }
    maxPartialKL =
      (inner(firstKKL) + inner(lastKKL) + singleLayerKL).max() ?? 0
    maxPartialOverFull = replacementKL == 0 ? nil : maxPartialKL / replacementKL
  }
}
