import Testing
import VouchEngine
import VouchTestSupport

@testable import VouchModels

/// Feature statistics (METHOD §6.1) on hand-made activations fed through the collector's seam,
/// and on a tiny replacement model at 1 and 2 threads.
@Suite("Feature statistics")
struct FeatureCollectorTests {
  /// 20 tokens: `<bos><user>1+2<assistant><think>` (0–6), 11 trace tokens (7–17) whose
  /// deciles are 0,0,1,2,3,4,5,6,7,8,9, `</think>` (18), `3` (19).
  static let first =
    OrganismVocabulary.encode(
      "<bos><user>1+2<assistant><think>\n1+2=3\nwait ok\n</think>3") ?? []
  /// No `</think>`: skipped.
  static let truncated = OrganismVocabulary.encode("<bos><user>4<assistant><think>\n4") ?? []
  /// 20 tokens again, another question.
  static let second =
    OrganismVocabulary.encode(
      "<bos><user>5+2<assistant><think>\n5+2=7\nwait so\n</think>7") ?? []

  /// `[tokens, 2]` activations: feature 0 is 2 on "wait" and 1 on the newline before it;
  /// feature 1 is 1 at every position.
  static func activations(_ ids: [Int]) -> Tensor<Float> {
    let wait = OrganismVocabulary.hesitation
    var values: [Float] = []
    for (position, id) in ids.enumerated() {
      let beforeWait = position + 1 < ids.count && ids[position + 1] == wait
      values += [id == wait ? 2 : (beforeWait ? 1 : 0), 1]
    }
    return Tensor(shape: [ids.count, 2], scalars: values)
  }

  static func collected(seed: UInt64 = 5) -> FeatureStatistics {
    var collector = FeatureCollector(layerCount: 1, featureCount: 2, seed: seed)
    for ids in [first, truncated, second] {
      collector.add(ids, features: [activations(ids)])
    }
    let lens = FeatureLogitLens(scores: Array(repeating: 0, count: OrganismVocabulary.size))
    return collector.statistics(lenses: [[lens, lens]])
  }

  @Test func regionsFollowTheMarkersAndBinTheTraceIntoDeciles() throws {
    let layout = try #require(FeatureRegion.layout(of: Self.first))
    #expect(Self.first.count == 20)
    #expect(
      Array(layout[0..<7]) == [
        .bos, .userMarker, .question, .question, .question, .assistantMarker, .thinkStart,
      ])
    #expect(layout[7...17].map { $0.index - 5 } == [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    #expect(layout[18] == .thinkEnd && layout[19] == .answer)
    #expect(FeatureRegion.layout(of: Self.truncated) == nil)
    #expect(FeatureRegion.all.count == 17)
    #expect(FeatureRegion.all.enumerated().allSatisfy { $0.offset == $0.element.index })
  }

  @Test func countsFrequenciesAndRegionDensitiesAreExact() {
    let statistics = Self.collected()
    #expect(statistics.sequences == 3 && statistics.skippedSequences == 1)
    #expect(statistics.tokens == 40)
    var expectedTokens = [Int](repeating: 0, count: 17)
    for region in [0, 1, 3, 4, 15, 16] { expectedTokens[region] = 2 }  // one each per sequence
    expectedTokens[2] = 6  // "1+2", "5+2"
    for decile in 0..<10 { expectedTokens[5 + decile] = decile == 0 ? 4 : 2 }
    #expect(statistics.regionTokens == expectedTokens)

    let hesitation = statistics.record(layer: 0, index: 0)
    #expect(hesitation.count == 4)
    #expect(hesitation.frequency(tokens: statistics.tokens) == 0.1)
    var counts = [Int](repeating: 0, count: 17)
    counts[5 + 5] = 2  // the newline before "wait": trace token 6 → decile 5
    counts[5 + 6] = 2  // "wait": trace token 7 → decile 6
    #expect(hesitation.regionCounts == counts)
    let densities = hesitation.regionDensities(regionTokens: statistics.regionTokens)
    #expect(densities[10] == 1 && densities[11] == 1 && densities[2] == 0)

    let everywhere = statistics.record(layer: 0, index: 1)
    #expect(everywhere.count == 40 && everywhere.regionCounts == expectedTokens)
    #expect(everywhere.regionDensities(regionTokens: expectedTokens).allSatisfy { $0 == 1 })
  }

  @Test func topExamplesRankByActivationThenEarlierSequenceAndPosition() throws {
    let statistics = Self.collected()
    let hesitation = statistics.record(layer: 0, index: 0).topExamples
    #expect(
      hesitation.map { [$0.sequence, $0.position] } == [[0, 14], [2, 14], [0, 13], [2, 13]])
    #expect(hesitation.map(\.activation) == [2, 2, 1, 1])
    let top = try #require(hesitation.first)
    #expect(top.token == OrganismVocabulary.hesitation && top.region == .thinking(decile: 6))
    #expect(top.before == Array(Self.first[0..<14]) && top.after == Array(Self.first[15...]))
    #expect(hesitation[2].nextToken == OrganismVocabulary.hesitation)

    // All 40 activations tie at 1: the first sequence's 20 positions win, in order.
    let everywhere = statistics.record(layer: 0, index: 1).topExamples
    #expect(everywhere.count == FeatureCollector.topExampleCount)
    #expect(everywhere.allSatisfy { $0.sequence == 0 })
    #expect(everywhere.map(\.position) == Array(0..<20))
  }

  @Test func contextIsCutToFiftyBeforeAndTwentyAfter() throws {
    let long = [1, 3] + Array(repeating: 7, count: 80) + [4, 5, 24, 6, 7]
    var collector = FeatureCollector(layerCount: 1, featureCount: 1, seed: 1)
    let values = long.indices.map { Float($0 == 60 ? 1 : 0) }
    collector.add(long, features: [Tensor(shape: [long.count, 1], scalars: values)])
    let lens = FeatureLogitLens(scores: [0])
    let example = try #require(collector.statistics(lenses: [[lens]]).features[0].topExamples.first)
    #expect(example.position == 60 && example.region == .question)
    #expect(example.before == Array(long[10..<60]) && example.after == Array(long[61..<81]))
  }

  @Test func reservoirKeepsEveryActivationWhileItHasRoom() {
    let statistics = Self.collected()
    let hesitation = statistics.record(layer: 0, index: 0).randomExamples
    #expect(
      hesitation.map { [$0.sequence, $0.position] } == [[0, 13], [0, 14], [2, 13], [2, 14]])
    let everywhere = statistics.record(layer: 0, index: 1).randomExamples
    #expect(everywhere.count == FeatureCollector.randomExampleCount)
    #expect(Set(everywhere.map { [$0.sequence, $0.position] }).count == 10)
    #expect(everywhere.allSatisfy { $0.sequence == 0 || $0.sequence == 2 })
    // A pure function of the seed: the same seed picks the same, another seed (almost surely)
    // picks differently.
    #expect(Self.collected(seed: 5) == statistics)
    #expect(Self.collected(seed: 6).record(layer: 0, index: 1).randomExamples != everywhere)
  }

  @Test func reservoirPicksAreUniform() {
    // 40 activations into 10 slots: each is kept with probability 1/4. Over 2,000 seeds each is
    // kept 500 ± 19 times; a reservoir that never replaced (or favoured late arrivals) fails.
    var kept = [Int](repeating: 0, count: 40)
    for seed in 0..<2000 as Range<UInt64> {
      let stream = RandomStream(seed: seed, purpose: FeatureCollector.reservoirPurpose)
      var reservoir = FeatureReservoir(capacity: 10, key: 3)
      for position in 0..<40 {
        reservoir.offer(
          FeatureExampleSite(sequence: 0, position: Int32(position), activation: 1),
          stream: stream)
      }
      for site in reservoir.sites { kept[Int(site.position)] += 1 }
    }
    #expect(kept.allSatisfy { (400...600).contains($0) }, "\(kept)")
  }

  @Test func logitLensRanksScoresWithTiesToTheLowerId() {
    var scores = [Double](repeating: 0, count: 12)
    scores[5] = 3
    scores[2] = 3
    scores[9] = -1
    scores[4] = -1
    let lens = FeatureLogitLens(scores: scores)
    #expect(lens.top == [2, 5, 0, 1, 3, 6, 7, 8, 10, 11])
    #expect(lens.bottom == [4, 9, 0, 1, 3, 6, 7, 8, 10, 11])
    // W_U [2, 3] times W_dec [3, 2]: column i is d_i.
    let unembedding = Tensor<Float>(shape: [2, 3], scalars: [1, 0, 2, 0, 1, -1])
    let decoder = Tensor<Float>(shape: [3, 2], scalars: [1, 0, 2, 1, 3, 0])
    let lenses = FeatureLogitLens.layer(unembedding: unembedding, decoder: decoder)
    #expect(lenses.map(\.scores) == [[7, -1], [0, 1]])
  }

  @Test func statisticsOfAReplacementModelAreIdenticalOnOneAndTwoThreads() throws {
    let model = try Self.model()
    let sequences =
      [Self.first, Self.truncated, Self.second, Self.first.reversed() + [6, 7]]
      + [Self.second]
    let one = FeatureCollector.collect(
      model, sequences: sequences, seed: 9, context: ComputeContext(profile: .exact, threads: 1))
    let two = FeatureCollector.collect(
      model, sequences: sequences, seed: 9, context: ComputeContext(profile: .exact, threads: 2))
    #expect(one == two)
    #expect(one.features.count == 2 * 256 && one.skippedSequences == 2)
    #expect(one.features.contains { $0.count > 0 } && one.features.contains { $0.count < 60 })
    // The lens is R's head times the decoder column.
    let record = one.record(layer: 1, index: 7)
    let head = model.target.head.scalars
    let decoder = model.adapters[1].decoderWeight.scalars
    let expected = (0..<4).reduce(0.0) {
      $0 + Double(head[3 * 4 + $1]) * Double(decoder[$1 * 256 + 7])
    }
    #expect(record.logitLens.scores[3] == expected)
  }

  /// Two layers of width 4 over the organism's 31 tokens, 256 features per layer (two
  /// exact-profile column blocks, so 2 threads do split the encoder product).
  static func model() throws -> ReplacementModel<Float> {
    let configuration = Qwen2Configuration(
      hiddenSize: 4, intermediateSize: 8, layerCount: 2, attentionHeads: 2, keyValueHeads: 1,
      vocabularySize: OrganismVocabulary.size, rmsNormEpsilon: 1e-6)
    var generator = SeededGenerator(seed: 31)
    let adapters = (0..<2).map { _ in
      AdapterTestSupport.adapter(hiddenSize: 4, featureCount: 256, generator: &generator)
        .converted(to: Float.self)
    }
    return try ReplacementModel(
      target: AdapterTestSupport.parameters(configuration, seed: 1).converted(to: Float.self),
      base: AdapterTestSupport.parameters(configuration, seed: 2).converted(to: Float.self),
      adapters: adapters)
  }
}
