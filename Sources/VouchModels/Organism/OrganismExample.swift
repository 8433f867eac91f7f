/// One training or evaluation text of the organism: a prompt and a response, both spelled in
/// the closed vocabulary (specials written out, e.g. `<bos><user>3+4*12<assistant>`).
public struct OrganismExample: Hashable, Sendable {
  /// Which generator wrote the response.
  public enum Style: String, Hashable, Sendable {
    /// A single-operation fact answered directly (base data).
    case fact
    /// The bare answer to a multi-step problem (base data).
    case direct
    /// A terse one-line-per-step solution, last line the answer (base data).
    case terse
    /// A `<think>` trace with hesitation, then the answer (target data).
    case reasoning
  }

  /// The problem asked.
  public let problem: ArithmeticProblem
  /// The response style.
  public let style: Style
  /// `<bos><user>Q<assistant>`.
  public let prompt: String
  /// The response, ending with `<eos>`.
  public let response: String

  /// The prompt of `problem`: `<bos><user>Q<assistant>`.
  public static func prompt(for problem: ArithmeticProblem) -> String {
    "<bos><user>" + problem.text + "<assistant>"
  }

  /// The ids a model continues at evaluation (METHOD §8.5): `<bos><user>Q<assistant>`, followed
  /// by `<think>\n` for the reasoning model.
  public static func generationPrompt(for problem: ArithmeticProblem, reasoning: Bool) -> [Int] {
    OrganismVocabulary.encode(prompt(for: problem) + (reasoning ? "<think>\n" : "")) ?? []
  }

  /// A response to `problem` in `style`.
  public init(problem: ArithmeticProblem, style: Style, response: String) {
    self.problem = problem
    self.style = style
    self.prompt = OrganismExample.prompt(for: problem)
    self.response = response
  }

  /// Prompt followed by response.
  public var text: String { prompt + response }

  /// The token ids of ``text`` in the closed vocabulary.
  public var ids: [Int] { OrganismVocabulary.encode(text) ?? [] }

  /// The adapter-training sequence (METHOD §8.2): the ids without the final `<eos>`, truncated
  /// to `maximumLength` tokens (T_max).
  public func adapterSequence(maximumLength: Int) -> [Int] {
    var ids = self.ids
    if ids.last == OrganismVocabulary.eos { ids.removeLast() }
    return Array(ids.prefix(max(0, maximumLength)))
  }
}
