// The weights and cutoff sampling of the adapter objective (METHOD.md §2.5–§2.6). The released
// code's choices are the defaults; the paper's text is `.paper`.
import VouchEngine

/// The adapter training objective of METHOD §2:
/// ```
/// L = w_out · KL_out + λ_L1 · Σ_ℓ S_ℓ + w_nmse · (1/(L+1)) Σ_{ℓ=0..L} NMSE_ℓ
///     + w_bridge · (1[k>0] · KL_a2r(k) + 1[k<L] · KL_r2a(k))
/// ```
/// Every KL is `KL(p_R ‖ q_M)` averaged over the `T − 1` predicting positions of the sequence;
/// `S_ℓ` and NMSE cover all `T` tokens. Defaults are the released code's `(1, 1e-3, 1, 2)` with
/// `k ∈ {0…L}`; ``paper`` gives the paper's `(1, λ_L1, 1, 1)` with `k ∈ {1…L}`.
public struct AdapterObjective: Hashable, Sendable {
  /// Which cutoffs `k` the bridging terms draw from.
  public enum CutoffSupport: String, Hashable, Sendable, Codable {
    /// `k ∈ {0, …, L}` (the released code's `sample_cutoffs`): `k = 0` skips a2r and makes r2a
    /// the full replacement pass; `k = L` the reverse.
    case zeroThroughLayers = "0...L"
    /// `k ∈ {1, …, L}` (the paper's App. A).
    case oneThroughLayers = "1...L"
  }

  /// `w_out`, the output KL's weight (`lambda_adapt`, 1).
  public var outputWeight = 1.0
  /// `λ_L1`, the sparsity weight (1e-3, the value in `r1_distil_7b.yaml`).
  public var sparsityWeight = 1e-3
  /// `w_nmse`, the weight of the layer-averaged NMSE (1).
  public var nmseWeight = 1.0
  /// `w_bridge`, the weight of each bridging KL (`lambda_bridge / n_cutoffs` = 2 in the code);
  /// 0 is the no-bridging ablation of METHOD §8.5 (the bridging passes are skipped).
  public var bridgingWeight = 2.0
  /// The support of `k`.
  public var cutoffSupport = CutoffSupport.zeroThroughLayers

  /// The released code's objective (see the type's documentation).
  public init() {}

  /// The paper's reading: every reconstruction term weighted 1, `k ∈ {1…L}`, with `λ_L1`.
  public static func paper(sparsityWeight: Double = 1e-3) -> AdapterObjective {
    var objective = AdapterObjective()
    objective.sparsityWeight = sparsityWeight
    objective.bridgingWeight = 1
    objective.cutoffSupport = .oneThroughLayers
    return objective
  }

  /// The cutoffs `k` can take for a model of `layerCount` blocks.
  public func cutoffs(layerCount: Int) -> ClosedRange<Int> {
    (cutoffSupport == .zeroThroughLayers ? 0 : 1)...layerCount
  }

  /// One uniform draw of `k` from ``cutoffs(layerCount:)``: `lower + next() mod count` with the
  /// stream's next 64-bit value (the modulo bias, below 2⁻⁵⁹ for any real depth, is ignored).
  public func sampleCutoff(layerCount: Int, stream: inout RandomStream) -> Int {
    let range = cutoffs(layerCount: layerCount)
    return range.lowerBound + Int(stream.next() % UInt64(range.count))
  }
}
