// Activation collection of METHOD.md §6.1: the replacement model (adapters on) runs over
// validation sequences and every feature activation f > 0 is counted, per region, and offered
// to the feature's top-example list and reservoir.
import VouchEngine

/// Accumulates adapter feature activations sequence by sequence into ``FeatureStatistics``.
///
/// Sequences are offered in order and each sequence's activations are visited position by
/// position, layer by layer and feature by feature; counts, top examples (a total order) and
/// reservoir picks (draws keyed by feature and activation number, see ``FeatureReservoir``)
/// therefore depend only on the sequences and activations offered and the seed. The only
/// parallel work is the model's forward, whose `exact`-profile bits do not depend on the thread
/// count, so neither do the statistics.
///
/// ``add(_:features:)`` is the seam tests feed with hand-made activations;
/// ``collect(_:sequences:seed:context:)`` feeds it from a ``ReplacementModel``.
public struct FeatureCollector: Sendable {
  /// Top examples kept per feature (METHOD §6.1).
  public static let topExampleCount = 20
  /// Reservoir-sampled examples kept per feature (METHOD §6.1).
  public static let randomExampleCount = 10
  /// Context tokens kept before an example's position.
  public static let contextBefore = 50
  /// Context tokens kept after an example's position.
  public static let contextAfter = 20
  /// The purpose of the reservoir's ``RandomStream`` (fixed: changing it changes every pick).
  public static let reservoirPurpose = "feature-reservoir"

  /// `L`.
  public let layerCount: Int
  /// `F`.
  public let featureCount: Int
  /// The delimiting special ids.
  public let markers: FeatureRegion.Markers
  private let stream: RandomStream
  private var sequences: [[Int]] = []
  private var layouts: [[FeatureRegion]?] = []
  private var tokens = 0
  private var regionTokens = [Int](repeating: 0, count: FeatureRegion.all.count)
  /// `[L·F]` activation counts.
  private var counts: [Int]
  /// `[L·F·17]` counts per region.
  private var regionCounts: [Int]
  private var top: [FeatureTopExamples]
  private var reservoirs: [FeatureReservoir]

  /// An empty collector for `layerCount` layers of `featureCount` features.
  /// - Parameters:
  ///   - layerCount: `L`.
  ///   - featureCount: `F`; `L·F < 2³²`.
  ///   - seed: the run seed of the reservoir stream.
  ///   - markers: the delimiting special ids (the organism's by default).
  public init(
    layerCount: Int, featureCount: Int, seed: UInt64,
    markers: FeatureRegion.Markers = .organism
  ) {
    precondition(layerCount > 0 && featureCount > 0, "need at least one layer and feature")
    self.layerCount = layerCount
    self.featureCount = featureCount
    self.markers = markers
    stream = RandomStream(seed: seed, purpose: Self.reservoirPurpose)
    let total = layerCount * featureCount
    counts = Array(repeating: 0, count: total)
    regionCounts = Array(repeating: 0, count: total * FeatureRegion.all.count)
    top = Array(repeating: FeatureTopExamples(capacity: Self.topExampleCount), count: total)
    reservoirs = (0..<total).map {
      FeatureReservoir(capacity: Self.randomExampleCount, key: UInt64($0))
    }
  }

  /// Adds the next sequence and its feature activations.
  /// - Parameters:
  ///   - ids: the sequence, `[tokens]`.
  ///   - features: per layer, `f` of that layer's adapter, `[tokens, F]` (`L` of them).
  /// - Returns: `false` (and nothing counted) when the sequence lacks a region marker; it still
  ///   takes the next sequence index.
  @discardableResult
  public mutating func add(_ ids: [Int], features: [Tensor<Float>]) -> Bool {
    precondition(features.count == layerCount, "one activation matrix per layer")
    let sequence = sequences.count
    sequences.append(ids)
    guard let layout = FeatureRegion.layout(of: ids, markers: markers) else {
      layouts.append(nil)
      return false
    }
    layouts.append(layout)
    tokens += ids.count
    let regionIndices = layout.map(\.index)
    for region in regionIndices { regionTokens[region] += 1 }
    let regionCount = FeatureRegion.all.count
    for (layer, activations) in features.enumerated() {
      precondition(
        activations.shape == [ids.count, featureCount], "activations must be [tokens, F]")
      let base = layer * featureCount
      activations.withUnsafeBufferPointer { f in
        for position in 0..<ids.count {
          let row = position * featureCount
          let region = regionIndices[position]
          for feature in 0..<featureCount where f[row + feature] > 0 {
            let slot = base + feature
            counts[slot] += 1
            regionCounts[slot * regionCount + region] += 1
            let site = FeatureExampleSite(
              sequence: Int32(sequence), position: Int32(position),
              activation: f[row + feature])
            top[slot].offer(site)
            reservoirs[slot].offer(site, stream: stream)
          }
        }
      }
    }
    return true
  }

  /// The statistics so far, with the logit lens of each layer's decoder.
  /// - Parameter lenses: per layer, `[F]` lenses (``FeatureLogitLens/layer(unembedding:decoder:)``).
  /// - Returns: one record per (layer, feature), examples cut out with their context.
  public func statistics(lenses: [[FeatureLogitLens]]) -> FeatureStatistics {
    precondition(
      lenses.count == layerCount && lenses.allSatisfy { $0.count == featureCount },
      "one lens per feature")
    let regionCount = FeatureRegion.all.count
    var records: [FeatureRecord] = []
    records.reserveCapacity(layerCount * featureCount)
    for layer in 0..<layerCount {
      for index in 0..<featureCount {
        let slot = layer * featureCount + index
        records.append(
          FeatureRecord(
            layer: layer, index: index, count: counts[slot],
            regionCounts: Array(regionCounts[slot * regionCount..<(slot + 1) * regionCount]),
            topExamples: top[slot].sites.map(example),
            randomExamples: reservoirs[slot].sortedSites.map(example),
            logitLens: lenses[layer][index]))
      }
    }
    return FeatureStatistics(
      sequences: sequences.count, skippedSequences: layouts.count { $0 == nil }, tokens: tokens,
      regionTokens: regionTokens, layerCount: layerCount, featureCount: featureCount,
      features: records)
  }

  /// `site` with its token, region and context.
  private func example(_ site: FeatureExampleSite) -> FeatureExample {
    let ids = sequences[Int(site.sequence)]
    let position = Int(site.position)
    return FeatureExample(
      sequence: Int(site.sequence), position: position, activation: site.activation,
      token: ids[position], region: layouts[Int(site.sequence)]?[position] ?? .answer,
      before: Array(ids[max(0, position - Self.contextBefore)..<position]),
      after: Array(ids[(position + 1)..<min(ids.count, position + 1 + Self.contextAfter)]))
  }

  /// Runs `model` (every block the replacement block, adapters as the model has them) over
  /// `sequences` and collects every layer's feature activations, then the logit lens of R's
  /// head `W_U` times each decoder.
  /// - Parameters:
  ///   - model: the replacement model.
  ///   - sequences: token ids in the vocabulary, each at most `T_max` long.
  ///   - seed: the reservoir stream's seed.
  ///   - context: profile and threads (only the forward uses them).
  /// - Returns: the statistics of all `L·F` features.
  public static func collect(
    _ model: ReplacementModel<Float>, sequences: [[Int]], seed: UInt64, context: ComputeContext
  ) -> FeatureStatistics {
    let layers = model.layerCount
    let features = model.adapters.first?.featureCount ?? 0
    var collector = FeatureCollector(layerCount: layers, featureCount: features, seed: seed)
    for ids in sequences {
      guard FeatureRegion.layout(of: ids, markers: collector.markers) != nil else {
        // Skipped without running the model; the collector records the skip.
        collector.add(ids, features: Array(repeating: Tensor(shape: [0, features]), count: layers))
        continue
      }
      collector.add(
        ids,
        features: model.featureActivations(ids, context: context).map {
          $0 ?? Tensor(shape: [ids.count, features])
        })
    }
    let lenses = model.adapters.map {
      FeatureLogitLens.layer(unembedding: model.target.head, decoder: $0.decoderWeight)
    }
    return collector.statistics(lenses: lenses)
  }
}
