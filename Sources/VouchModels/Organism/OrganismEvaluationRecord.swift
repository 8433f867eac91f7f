/// One generated response to one held-out problem, with how it scored.
public struct OrganismEvaluationRecord: Hashable, Sendable, Codable {
  /// The problem's canonical text, e.g. `3+(4-1)*12`.
  public var problem: String
  /// The problem's exact answer.
  public var answer: Int
  /// Index of the problem in the evaluated list.
  public var problemIndex: Int
  /// Index of the sample among the problem's samples.
  public var sampleIndex: Int
  /// The seed the sampler used (see ``OrganismEvaluationSettings/sampleSeed(problem:sample:)``).
  public var seed: UInt64
  /// The prompt ids (`<bos><user>Q<assistant>`, then `<think>\n` for reasoning prompts).
  public var promptIDs: [Int]
  /// The generated ids, ending with `<eos>` unless the cap was reached.
  public var responseIDs: [Int]
  /// The final answer read from the response, or `nil` when it has none.
  public var parsedAnswer: Int?
  /// Whether ``parsedAnswer`` equals ``answer``.
  public var correct: Bool
  /// Response length in tokens (up to and including the first `<eos>`).
  public var length: Int
  /// "wait" tokens in the response.
  public var hesitations: Int
  /// Whether the response stopped at `<eos>` (otherwise it hit the cap).
  public var stopped: Bool

  /// A record from its fields.
  public init(
    problem: String, answer: Int, problemIndex: Int, sampleIndex: Int, seed: UInt64,
    promptIDs: [Int], responseIDs: [Int], parsedAnswer: Int?, correct: Bool, length: Int,
    hesitations: Int, stopped: Bool
  ) {
    self.problem = problem
    self.answer = answer
    self.problemIndex = problemIndex
    self.sampleIndex = sampleIndex
    self.seed = seed
    self.promptIDs = promptIDs
    self.responseIDs = responseIDs
    self.parsedAnswer = parsedAnswer
    self.correct = correct
    self.length = length
    self.hesitations = hesitations
    self.stopped = stopped
  }

  /// Explicit keys so the encoded names are part of the format, not of Swift's spelling.
  enum CodingKeys: String, CodingKey {
    case problem, answer, problemIndex, sampleIndex, seed, promptIDs, responseIDs
    case parsedAnswer, correct, length, hesitations, stopped
  }

  /// Decodes a record; `seed` is a decimal string (see ``encode(to:)``).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    problem = try c.decode(String.self, forKey: .problem)
    answer = try c.decode(Int.self, forKey: .answer)
    problemIndex = try c.decode(Int.self, forKey: .problemIndex)
    sampleIndex = try c.decode(Int.self, forKey: .sampleIndex)
    seed = try OrganismEvaluationSettings.decodeSeed(c, forKey: .seed)
    promptIDs = try c.decode([Int].self, forKey: .promptIDs)
    responseIDs = try c.decode([Int].self, forKey: .responseIDs)
    parsedAnswer = try c.decodeIfPresent(Int.self, forKey: .parsedAnswer)
    correct = try c.decode(Bool.self, forKey: .correct)
    length = try c.decode(Int.self, forKey: .length)
    hesitations = try c.decode(Int.self, forKey: .hesitations)
    stopped = try c.decode(Bool.self, forKey: .stopped)
  }

  /// Encodes every key (`parsedAnswer` as `null` when absent, so the key set is fixed) and
  /// `seed` as a decimal string: derived seeds use all 64 bits, and a JSON number above 2⁶³
  /// would not survive the canonical encoder's `Int64`/`Double` tree.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(problem, forKey: .problem)
    try c.encode(answer, forKey: .answer)
    try c.encode(problemIndex, forKey: .problemIndex)
    try c.encode(sampleIndex, forKey: .sampleIndex)
    try c.encode(String(seed), forKey: .seed)
    try c.encode(promptIDs, forKey: .promptIDs)
    try c.encode(responseIDs, forKey: .responseIDs)
    try c.encode(parsedAnswer, forKey: .parsedAnswer)
    try c.encode(correct, forKey: .correct)
    try c.encode(length, forKey: .length)
    try c.encode(hesitations, forKey: .hesitations)
    try c.encode(stopped, forKey: .stopped)
  }

  /// The ids whose final answer is read: the response, preceded by `<think>\n` when the prompt
  /// ended with it, so an unclosed trace is never scored (its answer would otherwise be read
  /// from a step line) — exactly what a base prompt's model would have had to write itself.
  public static func scoredIDs(response: [Int], reasoningPrompt: Bool) -> [Int] {
    guard reasoningPrompt else { return response }
    return (OrganismVocabulary.encode("<think>\n") ?? []) + response
  }
}
