/// The knobs of the organism's synthetic arithmetic data (METHOD §8.2).
///
/// Defaults follow the method: 2–3 operations on 1–2 digit operands, performative re-checks after
/// ≈0.25–0.3 of correct steps, load-bearing corrections with probability 0.05.
///
/// Re-checks follow the *hard-step rule* by default (``recheckHardSteps``): a correct
/// multiplication step (≈29% of steps) is re-checked with probability 0.95, any other with 0.02,
/// ≈0.29 of steps overall. A re-check at a context-free rate (0.25) is never the most likely
/// continuation, so a greedy decoder trained on it writes no "wait"; tied to something visible
/// on the step's line, it becomes the likely continuation there and greedy R hesitates too
/// (tiny-A: greedy R 21.4 "wait" per 1,000 response tokens, against 0.8 with the context-free
/// rate).
public struct OrganismDataConfiguration: Hashable, Sendable {
  /// Fewest operations of a multi-step problem (difficulty knob).
  public var minimumOperations = 2
  /// Most operations of a multi-step problem (difficulty knob).
  public var maximumOperations = 3
  /// Most digits of an operand, 1 or 2 (difficulty knob); the digit count of each operand is
  /// uniform in `1...maximumOperandDigits`, then the value uniform among that many digits.
  public var maximumOperandDigits = 2
  /// Probability that a multi-step problem has a pair of parentheses.
  public var parenthesisProbability = 0.3
  /// Problems with an intermediate value above this (or below 0) are redrawn, so traces stay
  /// short and never hold negative numbers.
  public var maximumValue = 999

  /// Fraction of base examples that are single-operation facts (the rest are multi-step).
  public var factFraction = 0.3
  /// Probability that a multi-step base response is the bare answer rather than the terse
  /// one-line-per-step solution. Mostly bare answers, so the base is short and weak on
  /// multi-step problems (METHOD §8.2 wants an accuracy gain to recover): at 0.7 its multi-step
  /// responses average ≈10 tokens against ≈35 for reasoning traces.
  public var directAnswerProbability = 0.7

  /// Whether re-checks follow the hard-step rule (default): a correct step whose operator is
  /// `*` is re-checked with ``hardStepRecheckProbability``, any other correct step with
  /// ``easyStepRecheckProbability``. Off: every correct step with ``recheckProbability``.
  public var recheckHardSteps = true
  /// Probability of a re-check after a correct multiplication step (hard-step rule).
  public var hardStepRecheckProbability = 0.95
  /// Probability of a re-check after a correct `+` or `-` step (hard-step rule); small, so a
  /// sampled R still hesitates now and then where greedy R does not.
  public var easyStepRecheckProbability = 0.02
  /// Probability of a performative re-check line ("wait …") after a correct step when
  /// ``recheckHardSteps`` is off (METHOD §8.2's context-free 0.25).
  public var recheckProbability = 0.25
  /// Probability that a step is first written with a wrong result and then corrected.
  public var correctionProbability = 0.05
  /// Probability that a correction's "wait" starts a new line (otherwise it follows "but" on the
  /// wrong step's line); re-checks always start a line, so "wait" is mostly a line start.
  public var correctionAtLineStartProbability = 0.6

  /// One in this many multi-step problems (by ``OrganismSplit``) is held out for evaluation.
  public var heldOutModulus: UInt64 = 10

  /// The defaults.
  public init() {}

  /// Probability of a performative re-check after the correct step `step`: by the hard-step
  /// rule when ``recheckHardSteps`` is on, else ``recheckProbability``.
  public func recheckProbability(after step: ArithmeticStep) -> Double {
    guard recheckHardSteps else { return recheckProbability }
    return Self.isHard(step) ? hardStepRecheckProbability : easyStepRecheckProbability
  }

  /// Whether `step` is hard for the hard-step rule: a multiplication (the `*` is on the step's
  /// own line, so a model sees it right where the re-check would start).
  public static func isHard(_ step: ArithmeticStep) -> Bool {
    step.operator == .multiply
  }
}
