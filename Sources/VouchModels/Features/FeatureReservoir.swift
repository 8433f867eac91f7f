// Uniformly random activating examples of one feature (METHOD.md §6.1: 10 by reservoir sampling
// over all activations), drawn from a counter-based stream so every draw is reproducible alone.
import VouchEngine

/// Algorithm R over a feature's activations, with its random draws taken at fixed stream
/// indices.
///
/// The `n`-th activation offered (1-based) fills slot `n − 1` while `n ≤ capacity`; after that
/// it replaces slot `j = ⌊u · n⌋` when `j < capacity`, with `u` the 64-bit value at index
/// `(key << 32) | n` of the stream, read as a fraction of 2⁶⁴ (`j` is the high word of
/// `value × n`; its bias is below `n / 2⁶⁴`). `key` identifies the feature (layer · F + index),
/// so each feature's draws are a pure function of the seed, the feature and `n`, and the picks do
/// not depend on how many other features or threads there are.
struct FeatureReservoir: Hashable, Sendable {
  /// How many sites are kept.
  let capacity: Int
  /// The feature's key in the stream.
  let key: UInt64
  /// Activations offered so far.
  private(set) var offered: Int = 0
  /// The kept sites, in slot order.
  private(set) var sites: [FeatureExampleSite] = []

  /// An empty reservoir of `capacity` slots for the feature `key`.
  init(capacity: Int, key: UInt64) {
    precondition(capacity >= 0, "capacity must be non-negative")
    precondition(key < 1 << 32, "feature key must fit in 32 bits")
    self.capacity = capacity
    self.key = key
  }

  /// Offers the next activation of the feature, drawing from `stream` once it is full.
  /// - Precondition: fewer than 2³² activations per feature (the stream index has 32 bits for
  ///   `n`).
  mutating func offer(_ site: FeatureExampleSite, stream: RandomStream) {
    offered += 1
    if sites.count < capacity {
      sites.append(site)
      return
    }
    precondition(offered < 1 << 32, "more than 2^32 activations of one feature")
    let value = stream.value(at: key << 32 | UInt64(offered))
    let slot = Int(value.multipliedFullWidth(by: UInt64(offered)).high)
    if slot < capacity { sites[slot] = site }
  }

  /// The kept sites in sequence order (sequence, then position), the order they are reported.
  var sortedSites: [FeatureExampleSite] {
    sites.sorted { ($0.sequence, $0.position) < ($1.sequence, $1.position) }
  }
}
