// The top-k activating examples of one feature (METHOD.md §6.1: top 20 by activation value),
// kept as a short sorted list while the activations stream past.

/// The `capacity` highest-ranked sites seen so far, best first (see
/// ``FeatureExampleSite/ranks(before:)``: activation descending, ties to the earlier sequence,
/// then the earlier position).
///
/// The result depends only on the set of sites offered, not on their order, because the ranking
/// is a total order: offering sites in any order keeps exactly the first `capacity` of them.
struct FeatureTopExamples: Hashable, Sendable {
  /// How many sites are kept.
  let capacity: Int
  /// The kept sites, best first (`count ≤ capacity`).
  private(set) var sites: [FeatureExampleSite] = []

  /// An empty list keeping at most `capacity` sites.
  init(capacity: Int) {
    precondition(capacity >= 0, "capacity must be non-negative")
    self.capacity = capacity
    sites.reserveCapacity(capacity)
  }

  /// Offers `site`; it is kept if fewer than `capacity` are held or it ranks before the last.
  mutating func offer(_ site: FeatureExampleSite) {
    if sites.count == capacity {
      guard let last = sites.last, site.ranks(before: last) else { return }
      sites.removeLast()
    }
    // Binary search for the first kept site that `site` ranks before.
    var low = 0
    var high = sites.count
    while low < high {
      let middle = (low + high) / 2
      if sites[middle].ranks(before: site) { low = middle + 1 } else { high = middle }
    }
    sites.insert(site, at: low)
  }
}
