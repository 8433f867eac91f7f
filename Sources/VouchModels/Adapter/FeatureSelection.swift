// A set of adapter features (layer, index): what the hesitation study ablates, adds, steers
// with, and draws random controls of.
import VouchEngine

/// Features of a model's adapters, per layer a sorted set of indices.
public struct FeatureSelection: Hashable, Sendable, Codable {
  /// Per layer, the selected feature indices in increasing order.
  public private(set) var layers: [[Int]]

  /// No feature selected, for `layerCount` layers.
  public init(layerCount: Int) {
    layers = Array(repeating: [], count: layerCount)
  }

  /// The selection of `features` (pairs `(layer, index)`), duplicates dropped.
  /// - Precondition: every layer is in `0..<layerCount`.
  public init(layerCount: Int, features: [(layer: Int, index: Int)]) {
    var sets = Array(repeating: Set<Int>(), count: layerCount)
    for feature in features {
      precondition((0..<layerCount).contains(feature.layer), "layer out of range")
      sets[feature.layer].insert(feature.index)
    }
    layers = sets.map { $0.sorted() }
  }

  /// The number of selected features.
  public var count: Int { layers.reduce(0) { $0 + $1.count } }

  /// Every selected feature in canonical order (layer, then index).
  public var features: [(layer: Int, index: Int)] {
    layers.enumerated().flatMap { layer, indices in indices.map { (layer, $0) } }
  }

  /// The union of this selection and `other` (same layer count).
  public func union(_ other: FeatureSelection) -> FeatureSelection {
    precondition(layers.count == other.layers.count, "selections of different models")
    return FeatureSelection(layerCount: layers.count, features: features + other.features)
  }

  /// Whether `(layer, index)` is selected.
  public func contains(layer: Int, index: Int) -> Bool {
    layers[layer].contains(index)
  }

  /// Layer `layer`'s mask `[featureCount]`: `selected` on selected features, `1 − selected`
  /// elsewhere — `selected: 1` keeps only the selection, `selected: 0` ablates it.
  public func mask(layer: Int, featureCount: Int, selected value: Float = 1) -> Tensor<Float> {
    Tensor(shape: [featureCount]) { out in
      for index in 0..<featureCount { out[index] = 1 - value }
      for index in layers[layer] where index < featureCount { out[index] = value }
    }
  }

  /// `count` features drawn uniformly without replacement from `pool` minus this selection,
  /// with `RandomStream(seed:, purpose: "feature-selection.random")` (partial Fisher–Yates over
  /// the canonical order): a seeded random control of the same size class.
  /// - Precondition: `count ≤` the size of the remaining pool.
  public func randomControl(count: Int, from pool: FeatureSelection, seed: UInt64)
    -> FeatureSelection
  {
    var candidates = pool.features.filter { !contains(layer: $0.layer, index: $0.index) }
    precondition(count <= candidates.count, "not enough features outside the selection")
    var stream = RandomStream(seed: seed, purpose: "feature-selection.random")
    for position in 0..<count {
      let remaining = UInt64(candidates.count - position)
      let pick = position + Int(stream.next() % remaining)
      candidates.swapAt(position, pick)
    }
    return FeatureSelection(layerCount: layers.count, features: Array(candidates[..<count]))
  }
}
