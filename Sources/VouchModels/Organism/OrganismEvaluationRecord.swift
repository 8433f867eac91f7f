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

  /// Explicit keys so the encoded names are part of the format, not of Swift's spelling.
  enum CodingKeys: String, CodingKey {
    case problem, answer, problemIndex, sampleIndex, seed, promptIDs, responseIDs
    case parsedAnswer, correct, length, hesitations, stopped
  }

  /// The ids whose final answer is read: the response, preceded by `<think>\n` when the prompt
  /// ended with it, so an unclosed trace is never scored (its answer would otherwise be read
  /// from a step line) — exactly what a base prompt's model would have had to write itself.
  public static func scoredIDs(response: [Int], reasoningPrompt: Bool) -> [Int] {
    guard reasoningPrompt else { return response }
    return (OrganismVocabulary.encode("<think>\n") ?? []) + response
  }
}
