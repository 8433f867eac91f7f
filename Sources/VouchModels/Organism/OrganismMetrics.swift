/// Evaluation metrics of the organism (METHOD §8.5), pure functions of response token ids.
///
/// A *response* is the tokens after the prompt. Everything from the first `<eos>` on is
/// ignored; the `<eos>` itself counts as a response token (the model generated it). Length and
/// hesitation pool over responses: the rate is 1,000 × (all "wait" tokens) / (all response
/// tokens), not a mean of per-response rates.
public enum OrganismMetrics {
  /// `ids` up to and including the first `<eos>`.
  public static func trimmed(_ ids: [Int]) -> ArraySlice<Int> {
    guard let end = ids.firstIndex(of: OrganismVocabulary.eos) else { return ids[...] }
    return ids[...end]
  }

  /// The final answer of a response: the integer after the last `</think>` when there is one
  /// (reasoning responses), else the last non-empty line (base responses); `nil` when that
  /// text is not an integer (including a `<think>` never closed).
  public static func finalAnswer(_ ids: [Int]) -> Int? {
    let response = trimmed(ids).filter { $0 != OrganismVocabulary.eos }
    let tail: ArraySlice<Int>
    if let close = response.lastIndex(of: OrganismVocabulary.thinkEnd) {
      tail = response[(close + 1)...]
    } else if response.contains(OrganismVocabulary.thinkStart) {
      return nil
    } else {
      let newline = OrganismVocabulary.id(of: "\n")
      let lines = response.split(separator: newline ?? -1, omittingEmptySubsequences: true)
      guard let last = lines.last else { return nil }
      tail = last
    }
    return integer(tail)
  }

  /// Reads ids spelling an optional `-` and digits, surrounded by optional spaces/newlines.
  static func integer(_ ids: ArraySlice<Int>) -> Int? {
    guard var text = OrganismVocabulary.decode(Array(ids)) else { return nil }
    while let first = text.first, first == " " || first == "\n" { text.removeFirst() }
    while let last = text.last, last == " " || last == "\n" { text.removeLast() }
    let digits = text.hasPrefix("-") ? text.dropFirst() : text[...]
    guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber })
    else { return nil }
    return Int(text)
  }

  /// Whether the response's final answer equals `answer`.
  public static func isCorrect(_ ids: [Int], answer: Int) -> Bool {
    finalAnswer(ids) == answer
  }

  /// Exact-match accuracy in `[0, 1]` of `responses` against `answers` (same order); 0 for none.
  public static func accuracy(_ responses: [[Int]], answers: [Int]) -> Double {
    precondition(responses.count == answers.count, "one answer per response")
    guard !responses.isEmpty else { return 0 }
    let correct = zip(responses, answers).filter { isCorrect($0.0, answer: $0.1) }.count
    return Double(correct) / Double(responses.count)
  }

  /// Number of response tokens (up to and including the first `<eos>`).
  public static func length(_ ids: [Int]) -> Int { trimmed(ids).count }

  /// Mean response length in tokens; 0 for none.
  public static func meanLength(_ responses: [[Int]]) -> Double {
    guard !responses.isEmpty else { return 0 }
    return Double(responses.map(length).reduce(0, +)) / Double(responses.count)
  }

  /// Number of hesitation tokens ("wait") in the response.
  public static func hesitationCount(_ ids: [Int]) -> Int {
    trimmed(ids).filter { $0 == OrganismVocabulary.hesitation }.count
  }

  /// Hesitation tokens per 1,000 response tokens, pooled over `responses`; 0 for no tokens.
  public static func hesitationRate(_ responses: [[Int]]) -> Double {
    let tokens = responses.map(length).reduce(0, +)
    guard tokens > 0 else { return 0 }
    return 1000 * Double(responses.map(hesitationCount).reduce(0, +)) / Double(tokens)
  }

  /// The three numbers of METHOD §8.5 for one model and setting.
  public struct Summary: Hashable, Sendable {
    /// Number of responses scored.
    public var count: Int
    /// Exact-match accuracy in `[0, 1]`.
    public var accuracy: Double
    /// Mean response length in tokens.
    public var meanLength: Double
    /// "wait" tokens per 1,000 response tokens (pooled).
    public var hesitationRate: Double
  }

  /// Accuracy, mean length and hesitation rate of `responses` against `answers`.
  public static func summary(_ responses: [[Int]], answers: [Int]) -> Summary {
    Summary(
      count: responses.count, accuracy: accuracy(responses, answers: answers),
      meanLength: meanLength(responses), hesitationRate: hesitationRate(responses))
  }
}
