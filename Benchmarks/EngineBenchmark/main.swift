// vouch-engine-benchmark: the measurements behind Benchmarks/engine.sh (built in release).
//
//   sgemm    [size] [threads]   GFLOP/s of a direct cblas_sgemm vs the engine seam (fast, exact)
//   forward  [threads] [tokens] Qwen2 forward tokens/s on a ~50M-parameter config (exact, fast)
//   make-model DIR              writes a ~2 GiB bf16 sharded Qwen2 checkpoint (one shard a layer)
//   rss      DIR [tokens]       one streamed forward over DIR; prints peak RSS and the file size
//   organism [base] [threads] [A|B] [traces] [DIR]  trains B from scratch on `base` base sequences and
//                               R from B on `traces` reasoning traces (exact profile); prints
//                               seconds per 1,000 sequences and held-out metrics of each; saves
//                               DIR/base and DIR/reasoning
//   train-bench [base] [threads] [DIR|-] [batch]  trains tiny-A's B from its seed-1 start on
//                               `base` base sequences (exact profile, batch 1 by default) and
//                               prints tokens/s; with DIR, first saves the start to DIR/init and
//                               the sequences to DIR/sequences.json for bench_train_torch.py
//   adapter-bench [steps] [threads] [features] [DIR|-]  trains transcoder adapters (METHOD §8.4,
//                               released objective) between two seeded tiny-A models on
//                               64-token random sequences; prints steps/s; with DIR, saves both
//                               models and the sequences for bench_adapter_torch.py
//   analysis-bench [threads] [prompts] [features] [DIR|-] [tokens]  the analysis side (issue 11)
//                               on a seeded tiny-A pair with sparse random adapters: greedy
//                               generation of the replacement model (KV cache) on `prompts`
//                               organism prompts, and RelP graphs of the "wait" logit on
//                               `prompts` `tokens`-token reasoning prefixes, every active feature
//                               a node; prints tokens/s, graphs/s, rows/s and digests; with DIR,
//                               saves the models, adapters, prompts and vouch's outputs for
//                               bench_analysis_torch.py
import COpenBLAS
import Foundation
import VouchEngine
import VouchModels

let arguments = CommandLine.arguments
func argument(_ index: Int, _ fallback: Int) -> Int {
  arguments.count > index ? Int(arguments[index]) ?? fallback : fallback
}

/// The fastest of `repeats` runs of each body, in seconds, running the bodies in turn (after one
/// warm-up each) so that load from other processes hits every candidate alike.
func interleaved(_ repeats: Int, _ bodies: [() throws -> Void]) throws -> [Double] {
  for body in bodies { try body() }
  var best = [Double](repeating: .infinity, count: bodies.count)
  for _ in 0..<repeats {
    for (index, body) in bodies.enumerated() {
      let start = ContinuousClock.now
      try body()
      let elapsed = ContinuousClock.now - start
      best[index] = min(
        best[index],
        Double(elapsed.components.attoseconds) * 1e-18 + Double(elapsed.components.seconds))
    }
  }
  return best
}

/// Seconds of the fastest of `repeats` runs of `body` (after one warm-up).
func fastest(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
  try body()
  var best = Double.infinity
  for _ in 0..<repeats {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    best = min(
      best,
      Double(elapsed.components.attoseconds) * 1e-18
        + Double(elapsed.components.seconds))
  }
  return best
}

func randomTensor(_ shape: [Int], seed: UInt64, scale: Float) -> Tensor<Float> {
  var stream = RandomStream(seed: seed, purpose: "benchmark")
  return Tensor(shape: shape) { out in
    for index in 0..<out.count { out[index] = (Float(stream.nextUnit()) * 2 - 1) * scale }
  }
}

func peakRSSBytes() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
  else { return 0 }
  let kib = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
  return kib * 1024
}

func sgemm() throws {
  let size = argument(2, 1024)
  let threads = argument(3, 2)
  let a = randomTensor([size, size], seed: 1, scale: 1)
  let b = randomTensor([size, size], seed: 2, scale: 1)
  let flops = 2 * Double(size) * Double(size) * Double(size)
  var c = [Float](repeating: 0, count: size * size)
  openblas_set_num_threads(Int32(threads))
  let times = try a.withUnsafeBufferPointer { pa in
    try b.withUnsafeBufferPointer { pb in
      try interleaved(
        15,
        [
          {
            openblas_set_num_threads(Int32(threads))
            cblas_sgemm(
              CblasRowMajor, CblasNoTrans, CblasTrans, blasint(size), blasint(size), blasint(size),
              1, pa.baseAddress, blasint(size), pb.baseAddress, blasint(size), 0, &c, blasint(size))
          },
          { _ = a.linear(weight: b, context: ComputeContext(profile: .fast, threads: threads)) },
          { _ = a.linear(weight: b, context: ComputeContext(profile: .exact, threads: threads)) },
          {
            // The direct call again, into a freshly allocated output as the seam's is.
            var fresh = [Float](unsafeUninitializedCapacity: size * size) { _, count in
              count = size * size
            }
            openblas_set_num_threads(Int32(threads))
            cblas_sgemm(
              CblasRowMajor, CblasNoTrans, CblasTrans, blasint(size), blasint(size), blasint(size),
              1, pa.baseAddress, blasint(size), pb.baseAddress, blasint(size), 0, &fresh,
              blasint(size))
          },
        ])
    }
  }
  let (direct, fast, exact, freshDirect) = (times[0], times[1], times[2], times[3])
  let core = EngineFingerprint.currentBLASCoreType
  print("sgemm \(size)³ threads=\(threads) core=\(core)")
  print(String(format: "  direct cblas_sgemm   %7.1f GFLOP/s", flops / direct / 1e9))
  print(
    String(
      format: "  direct, new output   %7.1f GFLOP/s   (the seam allocates its result)",
      flops / freshDirect / 1e9))
  print(
    String(
      format: "  seam, fast profile   %7.1f GFLOP/s   ratio fast/direct = %.3f",
      flops / fast / 1e9, direct / fast))
  print(
    String(
      format: "  seam, exact profile  %7.1f GFLOP/s   ratio exact/fast  = %.3f",
      flops / exact / 1e9, fast / exact))
}

/// The ~50M-parameter benchmark configuration (also in scripts/bench_qwen2_torch.py).
let benchConfiguration = Qwen2Configuration(
  hiddenSize: 512, intermediateSize: 1536, layerCount: 8, attentionHeads: 8, keyValueHeads: 2,
  vocabularySize: 24_000, tieWordEmbeddings: false)

func randomWeights(_ c: Qwen2Configuration) -> InMemoryWeights {
  var tensors: [String: Tensor<Float>] = [:]
  for (index, (name, shape)) in Qwen2Model.expectedShapes(c).sorted(by: { $0.key < $1.key })
    .enumerated()
  {
    let isGain = name.hasSuffix("norm.weight")
    tensors[name] =
      isGain
      ? Tensor(shape: shape, repeating: 1)
      : randomTensor(shape, seed: UInt64(index), scale: 0.05)
  }
  return InMemoryWeights(tensors)
}

func forward() throws {
  let threads = argument(2, 2)
  let tokens = argument(3, 256)
  let c = benchConfiguration
  let model = try Qwen2Model(configuration: c, weights: randomWeights(c), residency: .resident)
  let ids = (0..<tokens).map { ($0 * 7919) % c.vocabularySize }
  print(
    "qwen2 forward: \(c.parameterCount / 1_000_000)M parameters, \(tokens) tokens, "
      + "threads=\(threads)")
  let profiles = [ComputeProfile.exact, .fast]
  let times = try interleaved(
    5,
    profiles.map { profile in
      { _ = try model.forward(ids, context: ComputeContext(profile: profile, threads: threads)) }
    })
  for (profile, seconds) in zip(profiles, times) {
    print(
      String(
        format: "  vouch %@  %8.1f tokens/s",
        profile.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0),
        Double(tokens) / seconds))
  }
}

/// ~2 GiB of bf16 with Qwen2's vocabulary (151936) untied: the embedding and lm_head (311M
/// parameters each) are far larger than a layer (61M), so the peak shows whether they are widened
/// whole (they must not be: rows are gathered and lm_head is widened a chunk at a time).
let bigConfiguration = Qwen2Configuration(
  hiddenSize: 2048, intermediateSize: 8192, layerCount: 8, attentionHeads: 16, keyValueHeads: 4,
  vocabularySize: 151_936, tieWordEmbeddings: false)

func makeModel() throws {
  let directory = URL(fileURLWithPath: arguments.count > 2 ? arguments[2] : "/tmp/vouch-2g")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let c = bigConfiguration
  let shapes = Qwen2Model.expectedShapes(c)
  var groups: [[String]] = (0..<c.layerCount).map { index in
    shapes.keys.filter { $0.hasPrefix(Qwen2DecoderLayer.prefix(index)) }.sorted()
  }
  groups.append([Qwen2Model.embeddingName, Qwen2Model.normName])
  groups.append([Qwen2Model.unembeddingName])
  var weightMap: [String: String] = [:]
  for (shard, names) in groups.enumerated() {
    let file = String(format: "model-%05d-of-%05d.safetensors", shard + 1, groups.count)
    var writer = SafetensorsWriter()
    for name in names {
      let shape = shapes[name] ?? []
      let values =
        name.hasSuffix("norm.weight")
        ? [Float](repeating: 1, count: shape.reduce(1, *))
        : randomTensor(shape, seed: UInt64(shard), scale: 0.02).scalars
      try writer.add(name, shape: shape, values: values, as: .bfloat16)
      weightMap[name] = file
    }
    try writer.write(to: directory.appendingPathComponent(file))
  }
  let index: [String: Any] = ["metadata": [:] as [String: Any], "weight_map": weightMap]
  try JSONSerialization.data(withJSONObject: index, options: [.sortedKeys]).write(
    to: directory.appendingPathComponent(SafetensorsFolder.indexName))
  try JSONEncoder().encode(c).write(to: directory.appendingPathComponent("config.json"))
  print("wrote \(directory.path): \(c.parameterCount / 1_000_000)M parameters in bf16")
}

func rss() throws {
  let directory = URL(fileURLWithPath: arguments.count > 2 ? arguments[2] : "/tmp/vouch-2g")
  let tokens = argument(3, 32)
  let before = peakRSSBytes()
  let model = try Qwen2Model(directory: directory, residency: .streamed)
  let ids = (0..<tokens).map { $0 % model.configuration.vocabularySize }
  let start = ContinuousClock.now
  let logits = try model.forward(ids, context: ComputeContext(profile: .exact, threads: 2)).logits
  let elapsed = ContinuousClock.now - start
  let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
  let bytes = try files.filter { $0.hasSuffix(".safetensors") }.reduce(0) {
    $0
      + ((try FileManager.default.attributesOfItem(
        atPath: directory.appendingPathComponent($1).path)[.size] as? Int) ?? 0)
  }
  let gib = { (value: Int) in Double(value) / Double(1 << 30) }
  print(
    String(
      format: "streamed bf16 forward: %d tokens in %@, logits %@", tokens,
      "\(elapsed)", "\(logits.shape)"))
  print(
    String(
      format: "  safetensors %.2f GiB, peak RSS %.2f GiB (%.2f GiB before loading)",
      gib(bytes), gib(peakRSSBytes()), gib(before)))
}

/// METHOD.md §8.1's tiny-B preset (vocabulary 40): the organism's training step, forward +
/// backward + clipping + AdamW, on one sequence of `tokens` tokens.
func trainStep() throws {
  let threads = argument(2, 2)
  let tokens = argument(3, 96)
  let c = Qwen2Configuration(
    hiddenSize: 128, intermediateSize: 384, layerCount: 4, attentionHeads: 4, keyValueHeads: 2,
    vocabularySize: 40)
  var parameters = try Qwen2Parameters<Float>(source: randomWeights(c), configuration: c)
  let ids = (0...tokens).map { ($0 * 7) % c.vocabularySize }
  let (inputs, targets) = (Array(ids.dropLast()), Array(ids.dropFirst()))
  let optimizer = AdamW<Float>(weightDecay: 0)
  print("qwen2 train step: \(c.parameterCount) parameters, \(tokens) tokens, threads=\(threads)")
  for profile in [ComputeProfile.exact, .fast] {
    let context = ComputeContext(profile: profile, threads: threads)
    var states = parameters.makeOptimizerStates(optimizer)
    let seconds = fastest(10) {
      let (logits, activations) = parameters.forward(inputs, context: context)
      let gradient = Loss.crossEntropy(logits: logits, targets: targets).gradient
      let grads = parameters.backward(activations, logitsGradient: gradient, context: context)
      parameters.applyStep(
        gradients: grads, optimizer: optimizer, states: &states, learningRate: 1e-3,
        maxGradientNorm: 1)
    }
    let forwardSeconds = fastest(10) { _ = parameters.forward(inputs, context: context) }
    print(
      String(
        format: "  vouch %@  %8.1f tokens/s per step (forward alone %.1f tokens/s)",
        profile.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0),
        Double(tokens) / seconds, Double(tokens) / forwardSeconds))
  }
}

/// Seconds since `start`.
func secondsSince(_ start: ContinuousClock.Instant) -> Double {
  let elapsed = ContinuousClock.now - start
  return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// Trains `parameters` on `sequences` (one epoch, batch 1, the trainer's defaults) and prints
/// the speed and the loss at the start and the end.
func trainOrganism(
  _ label: String, _ parameters: inout Qwen2Parameters<Float>,
  _ sequences: [OrganismTrainingSequence], _ context: ComputeContext
) throws {
  var configuration = OrganismTrainingConfiguration()
  configuration.seed = 1
  let tokens = sequences.reduce(0) { $0 + $1.inputs.count }
  let start = ContinuousClock.now
  let log = try OrganismTrainer(configuration: configuration).train(
    &parameters, on: sequences, context: context)
  let seconds = secondsSince(start)
  func meanLoss(_ slice: ArraySlice<OrganismTrainingStep>) -> Double {
    slice.reduce(0) { $0 + $1.loss } / Double(max(1, slice.count))
  }
  print(
    "\(label): \(sequences.count) sequences, \(tokens) tokens, threads=\(context.threads)")
  print(
    String(
      format: "  %.1f s total, %.2f s per 1,000 sequences, %.0f tokens/s; "
        + "loss first 100 steps %.3f, last 100 %.3f",
      seconds, seconds * 1000 / Double(sequences.count), Double(tokens) / seconds,
      meanLoss(log.prefix(100)), meanLoss(log.suffix(100))))
}

/// Responses of `parameters` to 200 held-out multi-step problems, summarised: greedy, then
/// sampled at temperature 1 (seed 7).
func evaluateOrganism(
  _ label: String, _ parameters: Qwen2Parameters<Float>, reasoning: Bool, maximumLength: Int,
  _ context: ComputeContext
) throws {
  for temperature in [0.0, 1.0] {
    try evaluateOrganism(
      label, parameters, reasoning: reasoning, maximumLength: maximumLength,
      temperature: temperature, context)
  }
}

/// Responses of `parameters` to 200 held-out multi-step problems at `temperature`, summarised.
func evaluateOrganism(
  _ label: String, _ parameters: Qwen2Parameters<Float>, reasoning: Bool, maximumLength: Int,
  temperature: Double, _ context: ComputeContext
) throws {
  let model = try Qwen2Model(
    configuration: parameters.configuration, weights: parameters.inMemoryWeights(),
    residency: .resident)
  let problems = OrganismDataGenerator(seed: 1).evaluationProblems(count: 200)
  var responses: [[Int]] = []
  for problem in problems {
    let prompt = OrganismExample.generationPrompt(for: problem, reasoning: reasoning)
    let settings = GenerationParameters(
      maxNewTokens: maximumLength - prompt.count, temperature: temperature, seed: 7,
      stopTokens: [OrganismVocabulary.eos])
    responses.append(try model.generate(prompt: prompt, parameters: settings, context: context))
  }
  let summary = OrganismMetrics.summary(responses, answers: problems.map(\.answer))
  print(
    String(
      format: "  %@ T=%.0f on %d held-out problems: accuracy %.1f%%, mean length %.1f tokens, "
        + "hesitation %.1f per 1,000 tokens",
      label, temperature, summary.count, 100 * summary.accuracy, summary.meanLength,
      summary.hesitationRate))
  if let first = responses.first, let text = OrganismVocabulary.decode(first) {
    print("  first response: \(problems[0].text) → \(text.debugDescription)")
  }
}

/// Trains the organism's base model B from scratch on `sequences` base sequences, then (when
/// `reasoning` > 0) R as a full fine-tune of B on that many reasoning traces; reports speed and
/// greedy held-out accuracy, length and hesitation of each.
func organism() throws {
  let count = argument(2, 2000)
  let threads = argument(3, 2)
  let preset: OrganismPreset = arguments.count > 4 && arguments[4] == "B" ? .tinyB : .tinyA
  let reasoningCount = argument(5, 0)
  let context = ComputeContext(profile: .exact, threads: threads)
  let generator = OrganismDataGenerator(seed: 1)
  let t = preset.maximumLength
  var base = Qwen2Parameters<Float>(configuration: preset.configuration, seed: 1)
  print("organism \(preset.rawValue): \(base.configuration.parameterCount) parameters")
  let baseData = generator.baseExamples(count: count).map {
    OrganismTrainingSequence(example: $0, maximumLength: t)
  }
  try trainOrganism("B from scratch", &base, baseData, context)
  try evaluateOrganism("B", base, reasoning: false, maximumLength: t, context)
  guard reasoningCount > 0 else { return }
  var reasoning = base
  let reasoningData = generator.reasoningExamples(count: reasoningCount).map {
    OrganismTrainingSequence(example: $0, maximumLength: t)
  }
  try trainOrganism("R = B fine-tuned on traces", &reasoning, reasoningData, context)
  try evaluateOrganism("R", reasoning, reasoning: true, maximumLength: t, context)
  if arguments.count > 6 {
    let folder = URL(fileURLWithPath: arguments[6])
    let tokenizer = OrganismVocabulary.tokenizerJSON()
    try base.save(to: folder.appendingPathComponent("base"), tokenizerJSON: tokenizer)
    try reasoning.save(to: folder.appendingPathComponent("reasoning"), tokenizerJSON: tokenizer)
  }
}

/// Benchmarks/train.sh's vouch side: trains tiny-A's B from `Qwen2Parameters(seed: 1)` on the
/// first `base` base sequences of `OrganismDataGenerator(seed: 1)`, one epoch, the trainer's
/// defaults (the organism's run; `batch` sequences per step, 1 by default), and prints `vouch tokens/s` (input tokens per
/// second, the unit scripts/bench_train_torch.py prints). With DIR, first writes the start as a
/// model folder (DIR/init) and the sequences (DIR/sequences.json) so the reference trains the
/// same weights on the same tokens.
/// FNV-1a of trained weights' safetensors bytes: a cheap fingerprint that is equal across
/// thread counts when training is exact.
func fnv1a(_ bytes: [UInt8]) -> UInt64 {
  bytes.reduce(into: UInt64(14_695_981_039_346_656_037)) {
    $0 = ($0 ^ UInt64($1)) &* 1_099_511_628_211
  }
}

func adapterBench() throws {
  let steps = argument(2, 200)
  let threads = argument(3, 1)
  let features = argument(4, 256)
  let preset = OrganismPreset.tinyA
  let base = Qwen2Parameters<Float>(configuration: preset.configuration, seed: 1)
  let target = Qwen2Parameters<Float>(configuration: preset.configuration, seed: 2)
  var stream = RandomStream(seed: 3, purpose: "adapter-bench-sequences")
  let vocabulary = UInt64(preset.configuration.vocabularySize)
  let sequences = (0..<64).map { _ in
    (0..<preset.maximumLength).map { _ in Int(stream.next() % vocabulary) }
  }
  if arguments.count > 5, arguments[5] != "-" {
    let folder = URL(fileURLWithPath: arguments[5])
    let tokenizer = OrganismVocabulary.tokenizerJSON()
    try base.save(to: folder.appendingPathComponent("base"), tokenizerJSON: tokenizer)
    try target.save(to: folder.appendingPathComponent("target"), tokenizerJSON: tokenizer)
    let json: [String: Any] = ["sequences": sequences, "features": features, "steps": steps]
    try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(
      to: folder.appendingPathComponent("adapter-sequences.json"))
  }
  var model = try ReplacementModel<Float>(
    target: target, base: base, featureCount: features, seed: 4)
  var configuration = AdapterTrainingConfiguration()
  configuration.seed = 5
  configuration.steps = steps
  let context = ComputeContext(profile: .exact, threads: threads)
  let start = ContinuousClock.now
  let log = try AdapterTrainer(configuration: configuration).train(
    &model, on: sequences, context: context)
  let seconds = secondsSince(start)
  let digest = fnv1a(try TranscoderAdapter.safetensors(model.adapters).encoded())
  print(
    String(
      format: "vouch threads=%d features=%d steps=%d seconds=%.3f steps/s=%.2f "
        + "final-total=%.4f fnv1a=%016llx",
      threads, features, steps, seconds, Double(steps) / seconds,
      log.last?.terms.total ?? .nan, digest))
}

func trainBench() throws {
  let count = argument(2, 1000)
  let threads = argument(3, 1)
  let batch = argument(5, 1)
  let preset = OrganismPreset.tinyA
  var parameters = Qwen2Parameters<Float>(configuration: preset.configuration, seed: 1)
  let sequences = OrganismDataGenerator(seed: 1).baseExamples(count: count).map {
    OrganismTrainingSequence(example: $0, maximumLength: preset.maximumLength)
  }
  if arguments.count > 4, arguments[4] != "-" {
    let folder = URL(fileURLWithPath: arguments[4])
    try parameters.save(
      to: folder.appendingPathComponent("init"), tokenizerJSON: OrganismVocabulary.tokenizerJSON())
    let json: [String: Any] = [
      "inputs": sequences.map(\.inputs), "targets": sequences.map(\.targets),
      "seed": 1, "batch_size": batch, "learning_rate": 1e-3, "weight_decay": 0.01,
      "max_grad_norm": 1.0,
    ]
    try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(
      to: folder.appendingPathComponent("sequences.json"))
  }
  var configuration = OrganismTrainingConfiguration()
  configuration.seed = 1
  configuration.batchSize = batch
  let tokens = sequences.reduce(0) { $0 + $1.inputs.count }
  let context = ComputeContext(profile: .exact, threads: threads)
  let start = ContinuousClock.now
  let log = try OrganismTrainer(configuration: configuration).train(
    &parameters, on: sequences, context: context)
  let seconds = secondsSince(start)
  let digest = fnv1a(try parameters.safetensors(as: .float32).encoded())
  print(
    String(
      format: "vouch threads=%d batch=%d sequences=%d tokens=%d seconds=%.3f tokens/s=%.1f "
        + "final-loss=%.4f fnv1a=%016llx",
      threads, batch, count, tokens, seconds, Double(tokens) / seconds, log.last?.loss ?? .nan,
      digest))
}

switch arguments.count > 1 ? arguments[1] : "" {
case "sgemm": try sgemm()
case "train-step": try trainStep()
case "forward": try forward()
case "make-model": try makeModel()
case "rss": try rss()
case "organism": try organism()
case "train-bench": try trainBench()
case "adapter-bench": try adapterBench()
case "analysis-bench": try analysisBench()
default:
  FileHandle.standardError.write(
    Data(
      ("usage: vouch-engine-benchmark "
        + "sgemm|forward|train-step|make-model|rss|organism|train-bench|adapter-bench|"
        + "analysis-bench\n").utf8))
  exit(64)
}
