import VouchEngine

/// The organism's synthetic arithmetic data (METHOD §8.2), deterministic from a seed.
///
/// Each data set draws from its own ``RandomStream`` purpose (`organism.base`,
/// `organism.reasoning`, `organism.evaluation`, `organism.adapter`), so the same seed gives the
/// same data whatever else was generated first. Training sets never contain a held-out problem
/// (``OrganismSplit``); evaluation problems are distinct and all held out.
public struct OrganismDataGenerator: Sendable {
  /// The knobs.
  public let configuration: OrganismDataConfiguration
  /// The run seed.
  public let seed: UInt64

  /// A generator for `seed` with `configuration`, whose `maximumValue` must be non-negative
  /// (problems are redrawn until every intermediate value fits; all-zero operands always do).
  public init(seed: UInt64, configuration: OrganismDataConfiguration = .init()) {
    precondition(configuration.maximumValue >= 0, "maximumValue must be non-negative")
    self.seed = seed
    self.configuration = configuration
  }

  /// `count` base-model examples: facts, bare answers and terse solutions; no `<think>`, no
  /// hesitation words.
  public func baseExamples(count: Int) -> [OrganismExample] {
    var stream = RandomStream(seed: seed, purpose: "organism.base")
    return (0..<max(0, count)).map { _ in
      if stream.bernoulli(configuration.factFraction) {
        let problem = drawProblem(operations: 1...1, using: &stream)
        return OrganismExample(
          problem: problem, style: .fact, response: "\(problem.answer)<eos>")
      }
      let problem = drawTrainingProblem(using: &stream)
      if stream.bernoulli(configuration.directAnswerProbability) {
        return OrganismExample(
          problem: problem, style: .direct, response: "\(problem.answer)<eos>")
      }
      let lines = problem.steps.map(\.text) + ["\(problem.answer)"]
      return OrganismExample(
        problem: problem, style: .terse, response: lines.joined(separator: "\n") + "<eos>")
    }
  }

  /// `count` target-model examples: `<think>\n` step lines with re-checks and corrections,
  /// `</think>`, the answer, `<eos>`.
  ///
  /// Each step is first, with ``OrganismDataConfiguration/correctionProbability``, written with
  /// a wrong result and corrected ("wait" at a line start or after "but"); otherwise it is
  /// written correctly and then re-checked on a new "wait" line with
  /// ``OrganismDataConfiguration/recheckProbability(after:)``: by default (the hard-step rule)
  /// almost always after a multiplication and rarely after `+`/`-`, so the re-check depends on
  /// what the model can see and a greedy decoder learns to emit it.
  public func reasoningExamples(count: Int) -> [OrganismExample] {
    var stream = RandomStream(seed: seed, purpose: "organism.reasoning")
    return (0..<max(0, count)).map { _ in
      reasoningExample(drawTrainingProblem(using: &stream), using: &stream)
    }
  }

  /// Adapter-training sequences (METHOD §8.2): reasoning examples from their own stream without
  /// `<eos>`, truncated to `maximumLength`; the first 90% (rounded down) train, the rest validate.
  public func adapterSequences(count: Int, maximumLength: Int)
    -> (train: [[Int]], validation: [[Int]])
  {
    var stream = RandomStream(seed: seed, purpose: "organism.adapter")
    let sequences = (0..<max(0, count)).map { _ in
      reasoningExample(drawTrainingProblem(using: &stream), using: &stream)
        .adapterSequence(maximumLength: maximumLength)
    }
    return OrganismSplit.trainAndValidation(sequences)
  }

  /// Up to `count` distinct held-out multi-step problems, in draw order. Fewer only when the
  /// held-out space is nearly exhausted (the search stops after `count × 1000` draws).
  public func evaluationProblems(count: Int) -> [ArithmeticProblem] {
    var stream = RandomStream(seed: seed, purpose: "organism.evaluation")
    var seen: Set<String> = []
    var problems: [ArithmeticProblem] = []
    var attempts = 0
    while problems.count < count && attempts < count * 1000 {
      attempts += 1
      let problem = drawProblem(operations: operationRange, using: &stream)
      guard OrganismSplit.isHeldOut(problem, modulus: configuration.heldOutModulus),
        seen.insert(problem.text).inserted
      else { continue }
      problems.append(problem)
    }
    return problems
  }

  /// The reasoning response to `problem`, drawing hesitation from `stream`.
  func reasoningExample(_ problem: ArithmeticProblem, using stream: inout RandomStream)
    -> OrganismExample
  {
    var lines: [String] = []
    for step in problem.steps {
      if stream.bernoulli(configuration.correctionProbability) {
        let wrong = wrongValue(for: step.result, using: &stream)
        if stream.bernoulli(configuration.correctionAtLineStartProbability) {
          lines.append(step.text(stating: wrong))
          lines.append("wait " + step.text)
        } else {
          lines.append(step.text(stating: wrong) + " but wait " + step.text)
        }
        continue
      }
      lines.append(step.text)
      if stream.bernoulli(configuration.recheckProbability(after: step)) {
        let phrasings = ["wait \(step.text) ok", "wait check \(step.text)", "wait so \(step.text)"]
        lines.append(phrasings[stream.below(phrasings.count)])
      }
    }
    let response =
      "<think>\n" + lines.map { $0 + "\n" }.joined() + "</think>\(problem.answer)<eos>"
    return OrganismExample(problem: problem, style: .reasoning, response: response)
  }

  private var operationRange: ClosedRange<Int> {
    let low = max(1, configuration.minimumOperations)
    return low...max(low, configuration.maximumOperations)
  }

  /// A multi-step problem outside the held-out set.
  private func drawTrainingProblem(using stream: inout RandomStream) -> ArithmeticProblem {
    while true {
      let problem = drawProblem(operations: operationRange, using: &stream)
      if !OrganismSplit.isHeldOut(problem, modulus: configuration.heldOutModulus) {
        return problem
      }
    }
  }

  /// A problem with an operation count in `operations` whose intermediate values all lie in
  /// `0...maximumValue` (redrawn until one does).
  private func drawProblem(operations: ClosedRange<Int>, using stream: inout RandomStream)
    -> ArithmeticProblem
  {
    while true {
      let count = operations.lowerBound + stream.below(operations.count)
      let operands = (0...count).map { _ in drawOperand(using: &stream) }
      let operators = (0..<count).map { _ in
        ArithmeticProblem.Operator.allCases[stream.below(3)]
      }
      var parentheses: Range<Int>?
      if count >= 2 && stream.bernoulli(configuration.parenthesisProbability) {
        // Groups of 2...count operands that are not the whole expression.
        let length = 2 + stream.below(count - 1)
        let start = stream.below(count + 2 - length)
        parentheses = start..<(start + length)
      }
      let problem = ArithmeticProblem(
        operands: operands, operators: operators, parentheses: parentheses)
      if problem.steps.allSatisfy({ $0.result >= 0 && $0.result <= configuration.maximumValue }) {
        return problem
      }
    }
  }

  private func drawOperand(using stream: inout RandomStream) -> Int {
    let digits = 1 + stream.below(max(1, min(2, configuration.maximumOperandDigits)))
    return digits == 1 ? stream.below(10) : 10 + stream.below(90)
  }

  /// A plausible wrong result: off by 1–3 (or by 10), never negative, never `value`.
  private func wrongValue(for value: Int, using stream: inout RandomStream) -> Int {
    let offsets = [1, 2, 3, 10]
    let offset = offsets[stream.below(offsets.count)]
    return stream.bernoulli(0.5) || value < offset ? value + offset : value - offset
  }
}

extension RandomStream {
  /// `true` with probability `probability` (one draw).
  mutating func bernoulli(_ probability: Double) -> Bool { nextUnit() < probability }

  /// A value in `0..<bound` (one draw; modulo bias below 2⁻⁵⁰ for the small bounds used here).
  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}
