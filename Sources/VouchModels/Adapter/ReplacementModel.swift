// The replacement model of METHOD.md §1.2: R's embeddings, attention, norms and head with B's
// MLPs plus a transcoder adapter per layer; with the adapters switched off, the hybrid model.
import VouchEngine

/// A target model R, the hybrid (R with B's MLP weights), and one ``TranscoderAdapter`` per
/// layer: everything the adapter objective and the faithfulness measures run.
///
/// Block `ℓ` of the replacement model computes
/// `h_ℓ = h'_ℓ + MLP_B(u_ℓ) + T_ℓ(u_ℓ)` with `h'_ℓ = h_{ℓ−1} + Attn_R(RMSNorm_R(h_{ℓ−1}))` and
/// `u_ℓ = RMSNorm_{R,2}(h'_ℓ)`: B's MLP reads R's post-attention norm, as in the paper's code.
/// Only the adapters are trained; R and B stay fixed.
public struct ReplacementModel<Scalar: TensorScalar>: Sendable {
  /// Which computation a block runs.
  public enum Block: Hashable, Sendable {
    /// R's block (R's MLP).
    case target
    /// The replacement block: B's MLP plus the layer's adapter when it is enabled, B's MLP
    /// alone (the hybrid block) when it is not.
    case replacement
  }

  /// The architecture, shared by R and B.
  public let configuration: Qwen2Configuration
  /// The target (reasoning) model R.
  public let target: Qwen2Parameters<Scalar>
  /// R with every block's `gate_proj`, `up_proj` and `down_proj` replaced by B's: the hybrid
  /// model, and the frozen part of every replacement block.
  public let hybrid: Qwen2Parameters<Scalar>
  /// One adapter per layer (the trained parameters).
  public var adapters: [TranscoderAdapter<Scalar>]
  /// Per layer, whether the adapter runs; `false` removes the whole branch including `b_dec`
  /// (the hybrid block). All `true` by default.
  public var adapterEnabled: [Bool]
  /// Per layer, a 0/1 mask over the `F` features (`[F]`) multiplying `f`, or `nil` for all on.
  public var featureMasks: [Tensor<Scalar>?]

  /// The replacement model of `target` (R) and `base` (B) with the given adapters.
  /// - Throws: `ModelError(.mismatch)` when R and B differ in architecture or the adapters do
  ///   not fit it (one per layer, width `d`, one common `F`).
  public init(
    target: Qwen2Parameters<Scalar>, base: Qwen2Parameters<Scalar>,
    adapters: [TranscoderAdapter<Scalar>]
  ) throws {
    let c = target.configuration
    guard base.configuration.sharesArchitecture(with: c) else {
      throw ModelError(
        .mismatch,
        "the base and target models have different architectures; the replacement model "
          + "needs B and R of one configuration (R fine-tuned from B)")
    }
    try TranscoderAdapter.checkFit(adapters, configuration: c)
    var hybrid = target
    for index in hybrid.layers.indices {
      hybrid.layers[index].gateWeight = base.layers[index].gateWeight
      hybrid.layers[index].upWeight = base.layers[index].upWeight
      hybrid.layers[index].downWeight = base.layers[index].downWeight
    }
    configuration = c
    self.target = target
    self.hybrid = hybrid
    self.adapters = adapters
    adapterEnabled = Array(repeating: true, count: c.layerCount)
    featureMasks = Array(repeating: nil, count: c.layerCount)
  }

  /// The replacement model with METHOD §1.3's initial adapters
  /// (``TranscoderAdapter/init(hiddenSize:featureCount:stream:)``), layer 0 first, all drawn
  /// from `RandomStream(seed:, purpose: "adapter-init")`: it starts exactly equal to the hybrid.
  /// - Throws: `ModelError(.mismatch)` as ``init(target:base:adapters:)``.
  public init(
    target: Qwen2Parameters<Scalar>, base: Qwen2Parameters<Scalar>, featureCount: Int,
    seed: UInt64
  ) throws {
    var stream = RandomStream(seed: seed, purpose: "adapter-init")
    let adapters = (0..<target.configuration.layerCount).map { _ in
      TranscoderAdapter<Scalar>(
        hiddenSize: target.configuration.hiddenSize, featureCount: featureCount, stream: &stream)
    }
    try self.init(target: target, base: base, adapters: adapters)
  }

  /// `L`, the number of blocks.
  public var layerCount: Int { configuration.layerCount }

  /// Whether block `index` of kind `block` runs its adapter.
  func runsAdapter(_ block: Block, at index: Int) -> Bool {
    block == .replacement && adapterEnabled[index]
  }

  /// The frozen weights block `index` of kind `block` runs.
  func layer(_ block: Block, at index: Int) -> Qwen2LayerParameters<Scalar> {
    block == .target ? target.layers[index] : hybrid.layers[index]
  }
}
