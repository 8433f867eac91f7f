// `vouch-engine-benchmark analysis-bench`: the analysis side of issue 11 (Benchmarks/analysis.sh),
// generation with adapters and RelP attribution, on a seeded tiny-A pair with sparse random
// adapters. scripts/bench_analysis_torch.py runs the same work in PyTorch.
import Foundation
import VouchEngine
import VouchModels

/// FNV-1a, fed piecewise: equal across thread counts when the computation is exact.
struct Digest {
  private(set) var value: UInt64 = 14_695_981_039_346_656_037

  mutating func add(_ word: UInt64) {
    var word = word
    for _ in 0..<8 {
      value = (value ^ (word & 0xff)) &* 1_099_511_628_211
      word >>= 8
    }
  }

  mutating func add(_ integers: [Int]) {
    for integer in integers { add(UInt64(bitPattern: Int64(integer))) }
  }

  mutating func add(_ doubles: [Double]) { for double in doubles { add(double.bitPattern) } }

  /// Every field of `graph` that the computation decides: nodes, activations, targets, edges.
  mutating func add(_ graph: AttributionGraph) {
    add(graph.tokens)
    add(graph.features.flatMap { [$0.layer, $0.position, $0.index] })
    add(graph.activations)
    add(graph.targets.flatMap { [$0.weight, $0.value, $0.completenessError] })
    add(graph.adjacency)
  }
}

/// `count` adapters `[F, d]` for `configuration` with about a tenth of the features firing on
/// a unit-RMS input (`W_enc ~ U(±1/√d)`, `b_enc = −0.75`), `W_dec ~ U(±1/√F)`,
/// `b_dec ~ U(±0.01)`: sparse like trained adapters, so a graph has a few thousand rows.
func sparseAdapters(_ configuration: Qwen2Configuration, features: Int, seed: UInt64)
  -> [TranscoderAdapter<Float>]
{
  var stream = RandomStream(seed: seed, purpose: "analysis-bench-adapters")
  let d = configuration.hiddenSize
  func uniform(_ shape: [Int], _ bound: Double) -> Tensor<Float> {
    Tensor(shape: shape) { values in
      for index in values.indices { values[index] = Float(bound * (2 * stream.nextUnit() - 1)) }
    }
  }
  return (0..<configuration.layerCount).map { _ in
    var adapter = TranscoderAdapter<Float>(hiddenSize: d, featureCount: features, stream: &stream)
    adapter.encoderBias = Tensor(shape: [features], repeating: -0.75)
    adapter.decoderWeight = uniform([d, features], 1 / Double(features).squareRoot())
    adapter.decoderBias = uniform([d], 0.01)
    return adapter
  }
}

@MainActor func analysisBench() throws {
  let threads = argument(2, 1)
  let promptCount = argument(3, 4)
  let features = argument(4, 256)
  let directory = arguments.count > 5 && arguments[5] != "-" ? arguments[5] : nil
  let attributionLength = argument(6, 32)
  let preset = OrganismPreset.tinyA
  let c = preset.configuration
  let base = Qwen2Parameters<Float>(configuration: c, seed: 1)
  let target = Qwen2Parameters<Float>(configuration: c, seed: 2)
  let adapters = sparseAdapters(c, features: features, seed: 3)
  let context = ComputeContext(profile: .exact, threads: threads)

  // Generation: greedy, no stop token, the same budget for every prompt.
  let generationPrompts = OrganismDataGenerator(seed: 1).evaluationProblems(count: promptCount)
    .map { OrganismExample.generationPrompt(for: $0, reasoning: true) }
  let newTokens = preset.maximumLength - (generationPrompts.map(\.count).max() ?? 0)
  let models = try AdapterModels(
    target: Qwen2Model(configuration: c, weights: target.inMemoryWeights(), residency: .resident),
    base: Qwen2Model(configuration: c, weights: base.inMemoryWeights(), residency: .resident),
    adapters: adapters)
  let replacement = try models.replacement()
  let settings = GenerationParameters(maxNewTokens: newTokens)
  var generated: [[Int]] = []
  let generationSeconds = try fastest(3) {
    generated = try generationPrompts.map {
      try replacement.generate(prompt: $0, parameters: settings, context: context)
    }
  }
  let tokenCount = generated.reduce(0) { $0 + $1.count }
  var generationDigest = Digest()
  for tokens in generated { generationDigest.add(tokens) }
  print(
    String(
      format: "vouch threads=%d generate prompts=%d new-tokens=%d tokens=%d seconds=%.4f "
        + "tokens/s=%.1f fnv1a=%016llx",
      threads, promptCount, newTokens, tokenCount, generationSeconds,
      Double(tokenCount) / generationSeconds, generationDigest.value))

  // Attribution: the "wait" logit of reasoning prefixes, every active feature a node.
  let attributionPrompts = OrganismDataGenerator(seed: 1).reasoningExamples(count: promptCount)
    .map { example in
      Array(
        OrganismTrainingSequence(example: example, maximumLength: preset.maximumLength).inputs
          .prefix(attributionLength))
    }
  let model = try ReplacementModel<Float>(target: target, base: base, adapters: adapters)
  var graphSettings = AttributionSettings()
  graphSettings.maxFeatureNodes = 1_000_000
  let wait = OrganismVocabulary.hesitation
  func graph(_ ids: [Int]) throws -> AttributionGraph {
    try Attributor(model: model, ids: ids, context: context)
      .graph(target: .logit(token: wait), settings: graphSettings)
  }
  _ = try graph(attributionPrompts[0])  // warm-up
  let start = ContinuousClock.now
  let graphs = try attributionPrompts.map(graph)
  let attributionSeconds = secondsSince(start)
  let rows = graphs.reduce(0) { $0 + $1.features.count + $1.targets.count }
  var graphDigest = Digest()
  for graph in graphs { graphDigest.add(graph) }
  print(
    String(
      format: "vouch threads=%d relp graphs=%d tokens=%d rows=%d seconds=%.4f graphs/s=%.3f "
        + "rows/s=%.1f max-completeness-error=%.1e fnv1a=%016llx",
      threads, graphs.count, attributionLength, rows, attributionSeconds,
      Double(graphs.count) / attributionSeconds, Double(rows) / attributionSeconds,
      graphs.map(\.maximumCompletenessError).max() ?? 0, graphDigest.value))

  guard let directory else { return }
  let folder = URL(fileURLWithPath: directory)
  let tokenizer = OrganismVocabulary.tokenizerJSON()
  try base.save(to: folder.appendingPathComponent("base"), tokenizerJSON: tokenizer)
  try target.save(to: folder.appendingPathComponent("target"), tokenizerJSON: tokenizer)
  try TranscoderAdapter.safetensors(adapters).write(
    to: folder.appendingPathComponent("adapters.safetensors"))
  // Per graph: the logit's value and every edge into it (features canonical, then tokens), so
  // the reference can be checked against vouch and not only timed.
  let checks: [[String: Any]] = graphs.map { graph in
    let row = graph.targetNode(0)
    let sources = graph.features.count + graph.tokens.count
    return [
      "value": graph.targets[0].value,
      "features": graph.features.map { [$0.layer, $0.position, $0.index] },
      "logit_edges": (0..<sources).map { graph[row, $0] },
    ]
  }
  let json: [String: Any] = [
    "generation_prompts": generationPrompts, "new_tokens": newTokens, "generated": generated,
    "attribution_prompts": attributionPrompts, "token": wait, "graphs": checks,
  ]
  try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(
    to: folder.appendingPathComponent("analysis.json"))
}
