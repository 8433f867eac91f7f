/// The knobs of the organism's synthetic arithmetic data (METHOD §8.2).
///
/// Defaults follow the method: 2–3 operations on 1–2 digit operands, performative re-checks with
/// probability 0.25 after a correct step, load-bearing corrections with probability 0.05.
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

  /// Probability of a performative re-check line ("wait …") after a correct step.
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
}
