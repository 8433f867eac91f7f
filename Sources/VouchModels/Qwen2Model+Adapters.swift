// The models of the paper's generation experiments as one inference stack with swapped MLPs
// and adapter branches: the hybrid (R with B's MLPs), the replacement model (hybrid + adapters),
// ablations, additions and steering (METHOD §1.2, §6.5).
import VouchEngine

extension Qwen2Model {
  /// This model (R) with every block's MLP weights replaced by `base`'s (B): the hybrid model.
  /// - Throws: `ModelError(.mismatch)` when the architectures differ or either model streams its
  ///   weights (swapping needs both resident).
  public func withMLPs(of base: Qwen2Model) throws -> Qwen2Model {
    guard base.configuration.sharesArchitecture(with: configuration) else {
      throw ModelError(
        .mismatch,
        "the base and target models have different architectures; the hybrid needs B and R "
          + "of one configuration (R fine-tuned from B)")
    }
    guard residency == .resident, base.residency == .resident else {
      throw ModelError(.mismatch, "swapping MLPs needs both models loaded resident")
    }
    var hybrid = self
    for index in hybrid.residentLayers.indices {
      let mlp = base.residentLayers[index]
      hybrid.residentLayers[index].gateWeight = mlp.gateWeight
      hybrid.residentLayers[index].upWeight = mlp.upWeight
      hybrid.residentLayers[index].downWeight = mlp.downWeight
    }
    return hybrid
  }

  /// This model with `branches` (one entry per layer, `nil` for none) run beside its MLPs.
  /// - Throws: `ModelError(.mismatch)` when there is not one entry per layer or an adapter's
  ///   width is not the model's.
  public func withAdapters(_ branches: [AdapterBranch?]) throws -> Qwen2Model {
    let c = configuration
    guard branches.count == c.layerCount else {
      throw ModelError(
        .mismatch,
        "\(branches.count) adapters for \(c.layerCount) layers; give one adapter per layer")
    }
    if let bad = branches.compactMap({ $0 }).first(where: { $0.adapter.hiddenSize != c.hiddenSize })
    {
      throw ModelError(
        .mismatch,
        "an adapter of width \(bad.adapter.hiddenSize) does not fit a model of width "
          + "\(c.hiddenSize); train the adapters on this model pair")
    }
    var model = self
    model.adapterBranches = branches
    return model
  }
}
