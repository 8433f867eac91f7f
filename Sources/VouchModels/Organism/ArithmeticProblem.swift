/// One arithmetic problem of the organism's data: operands, operators and at most one pair of
/// parentheses, evaluated step by step to an exact integer.
///
/// Evaluation rules (the documented convention every trace follows): the parenthesised group
/// first; within a group, `*` before `+`/`-`; among equal precedence, left to right. One step
/// reduces one operator. Generators only keep problems whose every intermediate value is
/// non-negative (see ``OrganismDataConfiguration/maximumValue``), so no text contains a negative
/// number and `-` is always the binary operator.
public struct ArithmeticProblem: Hashable, Sendable {
  /// A binary operator.
  public enum Operator: Character, Hashable, Sendable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"

    /// `left op right`.
    public func apply(_ left: Int, _ right: Int) -> Int {
      switch self {
      case .add: left + right
      case .subtract: left - right
      case .multiply: left * right
      }
    }
  }

  /// The operands, left to right (`[operators.count + 1]`).
  public let operands: [Int]
  /// The operators between consecutive operands.
  public let operators: [Operator]
  /// The operand indices inside the parentheses (at least two, never all), or `nil`.
  public let parentheses: Range<Int>?

  /// A problem; `parentheses` must cover at least two operands and not all of them.
  public init(operands: [Int], operators: [Operator], parentheses: Range<Int>? = nil) {
    precondition(operands.count == operators.count + 1, "one operand more than operators")
    if let parentheses {
      precondition(
        parentheses.count >= 2 && parentheses.count < operands.count
          && parentheses.lowerBound >= 0 && parentheses.upperBound <= operands.count,
        "parentheses cover two or more operands and not all")
    }
    self.operands = operands
    self.operators = operators
    self.parentheses = parentheses
  }

  /// Number of operations (1 for a single-operation fact).
  public var operationCount: Int { operators.count }

  /// The canonical question text, e.g. `3+(4-1)*12`: no spaces, the split rule's key.
  public var text: String {
    var out = ""
    for (index, operand) in operands.enumerated() {
      if index > 0 { out.append(operators[index - 1].rawValue) }
      if parentheses?.lowerBound == index { out += "(" }
      out += String(operand)
      if let parentheses, parentheses.upperBound - 1 == index { out += ")" }
    }
    return out
  }

  /// The steps in evaluation order (``operationCount`` of them); the last result is the answer.
  public var steps: [ArithmeticStep] {
    var values = operands
    var ops = operators
    var group = parentheses
    var steps: [ArithmeticStep] = []
    while !ops.isEmpty {
      // Operator i joins values[i] and values[i + 1]; a group of operands lo..<hi holds
      // operators lo..<hi-1.
      let candidates = group.map { $0.lowerBound..<($0.upperBound - 1) } ?? ops.indices
      let index =
        candidates.first(where: { ops[$0] == .multiply }) ?? candidates.lowerBound
      let result = ops[index].apply(values[index], values[index + 1])
      steps.append(
        ArithmeticStep(
          left: values[index], operator: ops[index], right: values[index + 1], result: result))
      values.replaceSubrange(index...index + 1, with: [result])
      ops.remove(at: index)
      if let current = group {
        group = current.count > 2 ? current.lowerBound..<(current.upperBound - 1) : nil
      }
    }
    return steps
  }

  /// The exact integer value of the problem.
  public var answer: Int { steps.last?.result ?? operands[0] }
}

/// One reduction of a problem: `left op right = result`.
public struct ArithmeticStep: Hashable, Sendable {
  /// The left operand (a question operand or an earlier result).
  public let left: Int
  /// The operator reduced.
  public let `operator`: ArithmeticProblem.Operator
  /// The right operand.
  public let right: Int
  /// `left op right`.
  public let result: Int

  /// The step's line with `value` as the stated result, e.g. `4*12=48`.
  public func text(stating value: Int) -> String {
    "\(left)\(self.operator.rawValue)\(right)=\(value)"
  }

  /// The step's line with its true result.
  public var text: String { text(stating: result) }
}
