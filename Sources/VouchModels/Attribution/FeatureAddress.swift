// A transcoder feature at one token: the node identity of attribution graphs (METHOD.md §6.4).

/// Feature `index` of block `layer`'s adapter at position `position`.
///
/// Ordered canonically (layer, then position, then index): the node order of attribution graphs
/// and the tie-break of every ranking.
public struct FeatureAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The block whose adapter holds the feature, `0..<L`.
  public var layer: Int
  /// The token position, `0..<T`.
  public var position: Int
  /// The feature index in the adapter, `0..<F`.
  public var index: Int

  /// The feature `index` of `layer` at `position`.
  public init(layer: Int, position: Int, index: Int) {
    self.layer = layer
    self.position = position
    self.index = index
  }

  /// Parses `L:P:I` (three non-negative integers, e.g. `2:7:115`).
  /// - Returns: the address, or `nil` when `text` is not of that form.
  public init?(parsing text: String) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 3, let layer = Int(parts[0]), let position = Int(parts[1]),
      let index = Int(parts[2]), layer >= 0, position >= 0, index >= 0
    else { return nil }
    self.init(layer: layer, position: position, index: index)
  }

  public static func < (a: FeatureAddress, b: FeatureAddress) -> Bool {
    (a.layer, a.position, a.index) < (b.layer, b.position, b.index)
  }

  /// `L:P:I`.
  public var description: String { "\(layer):\(position):\(index)" }
}
