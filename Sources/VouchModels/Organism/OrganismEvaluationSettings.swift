import VouchEngine

/// How the organism's models are asked to answer held-out problems (METHOD §8.5): greedy, or
/// temperature sampling with `samplesPerProblem` seeded samples per problem.
///
/// Sample `s` of problem `p` (index in the evaluated list) samples with the seed
/// ``sampleSeed(problem:sample:)``, a pure function of `(seed, p, s)`: a sample's tokens never
/// depend on how many other samples there are, the order they run in, or the thread count.
public struct OrganismEvaluationSettings: Hashable, Sendable, Codable {
  /// Softmax temperature; `0` is greedy (lowest id on ties).
  public var temperature: Double
  /// Responses generated per problem (at least 1).
  public var samplesPerProblem: Int
  /// Run seed from which every sample's seed is derived (unused when greedy).
  public var seed: UInt64
  /// Most new tokens per response (the cap; METHOD §8.5 takes ≈ 4× the longest training trace).
  public var maxNewTokens: Int
  /// Whether the prompt ends with `<think>\n` (reasoning-style models: R, replacement, hybrid)
  /// or with `<assistant>` (the base model B).
  public var reasoningPrompt: Bool

  /// Settings; `temperature` ≥ 0, `samplesPerProblem` ≥ 1 and `maxNewTokens` ≥ 1.
  public init(
    temperature: Double, samplesPerProblem: Int, seed: UInt64, maxNewTokens: Int,
    reasoningPrompt: Bool
  ) {
    precondition(temperature >= 0, "temperature must be non-negative")
    precondition(samplesPerProblem >= 1 && maxNewTokens >= 1, "need a sample and a token")
    self.temperature = temperature
    self.samplesPerProblem = samplesPerProblem
    self.seed = seed
    self.maxNewTokens = maxNewTokens
    self.reasoningPrompt = reasoningPrompt
  }

  /// One greedy response per problem.
  public static func greedy(maxNewTokens: Int, reasoningPrompt: Bool)
    -> OrganismEvaluationSettings
  {
    OrganismEvaluationSettings(
      temperature: 0, samplesPerProblem: 1, seed: 0, maxNewTokens: maxNewTokens,
      reasoningPrompt: reasoningPrompt)
  }

  /// `samples` responses per problem at temperature 0.7 (METHOD §8.5, evalchemy's setting).
  public static func sampled(
    samples: Int, seed: UInt64, maxNewTokens: Int, reasoningPrompt: Bool
  ) -> OrganismEvaluationSettings {
    OrganismEvaluationSettings(
      temperature: 0.7, samplesPerProblem: samples, seed: seed, maxNewTokens: maxNewTokens,
      reasoningPrompt: reasoningPrompt)
  }

  /// The response cap of METHOD §8.5: 4× the longest training response, in tokens.
  /// - Parameter responses: training responses (token ids), e.g. the reasoning traces.
  /// - Returns: the cap in tokens, at least 1.
  public static func tokenCap(longestOf responses: [[Int]]) -> Int {
    max(1, 4 * (responses.map(\.count).max() ?? 0))
  }

  /// Explicit keys so the encoded names are part of the format.
  enum CodingKeys: String, CodingKey {
    case temperature, samplesPerProblem, seed, maxNewTokens, reasoningPrompt
  }

  /// Decodes settings; `seed` is a decimal string (a number is accepted too).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let temperature = try c.decode(Double.self, forKey: .temperature)
    let samples = try c.decode(Int.self, forKey: .samplesPerProblem)
    let cap = try c.decode(Int.self, forKey: .maxNewTokens)
    guard temperature >= 0, samples >= 1, cap >= 1 else {
      throw DecodingError.dataCorruptedError(
        forKey: .temperature, in: c,
        debugDescription: "temperature must be ≥ 0, samplesPerProblem and maxNewTokens ≥ 1")
    }
    self.init(
      temperature: temperature, samplesPerProblem: samples,
      seed: try OrganismEvaluationSettings.decodeSeed(c, forKey: .seed), maxNewTokens: cap,
      reasoningPrompt: try c.decode(Bool.self, forKey: .reasoningPrompt))
  }

  /// Encodes `seed` as a decimal string: JSON numbers above 2⁶³ do not survive the canonical
  /// encoder's `Int64`/`Double` tree.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(temperature, forKey: .temperature)
    try c.encode(samplesPerProblem, forKey: .samplesPerProblem)
    try c.encode(String(seed), forKey: .seed)
    try c.encode(maxNewTokens, forKey: .maxNewTokens)
    try c.encode(reasoningPrompt, forKey: .reasoningPrompt)
  }

  /// A 64-bit seed stored as a decimal string (or, leniently, a JSON number).
  static func decodeSeed<Key: CodingKey>(_ c: KeyedDecodingContainer<Key>, forKey key: Key)
    throws -> UInt64
  {
    if let text = try? c.decode(String.self, forKey: key) {
      guard let seed = UInt64(text) else {
        throw DecodingError.dataCorruptedError(
          forKey: key, in: c, debugDescription: "seed '\(text)' is not a 64-bit unsigned integer")
      }
      return seed
    }
    return try c.decode(UInt64.self, forKey: key)
  }

  /// Whether generation is greedy.
  public var isGreedy: Bool { temperature == 0 }

  /// The sampling seed of sample `sample` of problem `problem`: value `problem · 2³² + sample`
  /// of the ``VouchEngine/RandomStream`` `(seed, "organism.evaluation.sample")`.
  public func sampleSeed(problem: Int, sample: Int) -> UInt64 {
    precondition(problem >= 0 && sample >= 0 && sample < 1 << 32, "indices out of range")
    let stream = RandomStream(seed: seed, purpose: "organism.evaluation.sample")
    return stream.value(at: UInt64(problem) << 32 | UInt64(sample))
  }

  /// The generation parameters of one sample: this temperature and cap, its derived seed, and
  /// `<eos>` as the only stop token.
  public func generationParameters(problem: Int, sample: Int) -> GenerationParameters {
    GenerationParameters(
      maxNewTokens: maxNewTokens, temperature: temperature,
      seed: sampleSeed(problem: problem, sample: sample), stopTokens: [OrganismVocabulary.eos])
  }
}
