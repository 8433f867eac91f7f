// Every model the adapter generation experiments run, built from R, B and trained adapters:
// the replacement model, the hybrid, ablations, additions to the hybrid and steering of R
// (METHOD §5.2, §6.5, §8.5).
import VouchEngine

/// R, B and their adapters, loaded once; each variant is a ``Qwen2Model`` of the same
/// inference stack (shared tensors, no copies beyond the swapped MLP references).
public struct AdapterModels: Sendable {
  /// The reasoning model R.
  public let target: Qwen2Model
  /// The hybrid: R with B's MLPs.
  public let hybrid: Qwen2Model
  /// One trained adapter per layer.
  public let adapters: [TranscoderAdapter<Float>]

  /// The variants of `target` (R) and `base` (B, both loaded resident) with `adapters`.
  /// - Throws: `ModelError(.mismatch)` when B and R differ in architecture or the adapters do
  ///   not fit them (one per layer of width `d`, one common `F`).
  public init(target: Qwen2Model, base: Qwen2Model, adapters: [TranscoderAdapter<Float>]) throws {
    try TranscoderAdapter.checkFit(adapters, configuration: target.configuration)
    self.target = target
    hybrid = try target.withMLPs(of: base)
    self.adapters = adapters
  }

  /// `F`, features per layer.
  public var featureCount: Int { adapters[0].featureCount }

  /// The replacement model (hybrid + every adapter), with `ablated` features forced to 0.
  public func replacement(ablating ablated: FeatureSelection? = nil) throws -> Qwen2Model {
    try hybrid.withAdapters(
      adapters.enumerated().map { layer, adapter in
        AdapterBranch(
          adapter: adapter,
          featureMask: ablated.map {
            $0.mask(layer: layer, featureCount: featureCount, selected: 0)
          })
      })
  }

  /// The hybrid plus only the `selected` features (no decoder bias: METHOD §6.5's addition).
  public func hybrid(adding selected: FeatureSelection) throws -> Qwen2Model {
    try hybrid.withAdapters(branches(only: selected, decoderScale: 1))
  }

  /// R plus the `selected` features with their decoder scaled by `scale` (no decoder bias):
  /// steering with the negated hesitation adapter is `scale` −0.5 or −1 (METHOD §6.5).
  public func target(steeredBy selected: FeatureSelection, scale: Float) throws -> Qwen2Model {
    try target.withAdapters(branches(only: selected, decoderScale: scale))
  }

  /// Per layer, an adapter with only `selected` on, decoder times `decoderScale`, `b_dec` = 0;
  /// `nil` for layers with nothing selected.
  private func branches(only selected: FeatureSelection, decoderScale: Float) -> [AdapterBranch?] {
    adapters.enumerated().map { layer, adapter in
      guard !selected.layers[layer].isEmpty else { return nil }
      var sub = adapter
      sub.decoderBias = Tensor(shape: [adapter.hiddenSize])
      if decoderScale != 1 { sub.decoderWeight = sub.decoderWeight.scaled(by: decoderScale) }
      return AdapterBranch(
        adapter: sub,
        featureMask: selected.mask(layer: layer, featureCount: featureCount, selected: 1))
    }
  }
}
