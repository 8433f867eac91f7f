/// Test-only readers that recompute what the organism's generator claims, independently of it.

/// Evaluates a problem text by recursive descent (`*` binds tighter, left to right,
/// parentheses), without ``ArithmeticProblem``'s step machinery.
enum IndependentEvaluator {
  static func value(of text: String) -> Int? {
    var parser = Parser(characters: Array(text))
    guard let value = parser.expression(), parser.position == parser.characters.count else {
      return nil
    }
    return value
  }

  private struct Parser {
    let characters: [Character]
    var position = 0

    mutating func expression() -> Int? {
      guard var value = term() else { return nil }
      while position < characters.count, "+-".contains(characters[position]) {
        let op = characters[position]
        position += 1
        guard let right = term() else { return nil }
        value = op == "+" ? value + right : value - right
      }
      return value
    }

    mutating func term() -> Int? {
      guard var value = factor() else { return nil }
      while position < characters.count, characters[position] == "*" {
        position += 1
        guard let right = factor() else { return nil }
        value *= right
      }
      return value
    }

    mutating func factor() -> Int? {
      if position < characters.count, characters[position] == "(" {
        position += 1
        let value = expression()
        guard position < characters.count, characters[position] == ")" else { return nil }
        position += 1
        return value
      }
      var digits = ""
      while position < characters.count, characters[position].isNumber {
        digits.append(characters[position])
        position += 1
      }
      return Int(digits)
    }
  }
}

/// Reads a reasoning response's `<think>` lines back into steps, re-checks and corrections.
struct TraceReader {
  var steps = 0
  var corrections = 0
  var lineStartCorrections = 0
  var rechecks = 0
  /// Steps written right the first time (re-check candidates), by operator.
  var firstTimeRightSteps: [Character: Int] = [:]
  /// Re-checks, by the operator of the step re-checked.
  var rechecksByOperator: [Character: Int] = [:]
  var waits = 0
  var waitsAtLineStart = 0
  var arithmeticErrorsLeftUncorrected = 0
  var finalValue: Int?

  /// A step line `a op b=v`: operands, operator, stated value, and whether it is right.
  struct Step: Equatable {
    var left: Int
    var op: Character
    var right: Int
    var stated: Int

    init?(_ text: Substring) {
      guard let equals = text.firstIndex(of: "="),
        let opIndex = text[text.index(after: text.startIndex)..<equals]
          .firstIndex(where: { "+-*".contains($0) }),
        let left = Int(text[..<opIndex]),
        let right = Int(text[text.index(after: opIndex)..<equals]),
        let stated = Int(text[text.index(after: equals)...])
      else { return nil }
      (self.left, op, self.right, self.stated) = (left, text[opIndex], right, stated)
    }

    var isRight: Bool {
      stated == (op == "+" ? left + right : op == "-" ? left - right : left * right)
    }
  }

  init(_ response: String) {
    guard let open = response.range(of: "<think>\n"), let close = response.range(of: "</think>"),
      let eos = response.range(of: "<eos>")
    else { return }
    finalValue = Int(response[close.upperBound..<eos.lowerBound])
    waits = response.components(separatedBy: "wait").count - 1
    var pendingWrong: Step?
    var lastStep: Step?
    for line in response[open.upperBound..<close.lowerBound].split(separator: "\n") {
      if line.hasPrefix("wait ") {
        waitsAtLineStart += 1
        var rest = line.dropFirst(5)
        for prefix in ["check ", "so "] where rest.hasPrefix(prefix) {
          rest = rest.dropFirst(prefix.count)
        }
        if rest.hasSuffix(" ok") { rest = rest.dropLast(3) }
        guard let step = Step(rest), step.isRight else {
          arithmeticErrorsLeftUncorrected += 1
          continue
        }
        if let wrong = pendingWrong, wrong.left == step.left, wrong.right == step.right {
          corrections += 1
          lineStartCorrections += 1
          steps += 1
          pendingWrong = nil
          lastStep = step
        } else if step == lastStep {
          rechecks += 1
          rechecksByOperator[step.op, default: 0] += 1
        } else {
          arithmeticErrorsLeftUncorrected += 1
        }
      } else if let range = line.range(of: " but wait ") {
        if let wrong = Step(line[..<range.lowerBound]), !wrong.isRight,
          let step = Step(line[range.upperBound...]), step.isRight, wrong.left == step.left
        {
          corrections += 1
          steps += 1
          lastStep = step
        } else {
          arithmeticErrorsLeftUncorrected += 1
        }
      } else if let step = Step(line) {
        if pendingWrong != nil { arithmeticErrorsLeftUncorrected += 1 }
        pendingWrong = nil
        if step.isRight {
          steps += 1
          firstTimeRightSteps[step.op, default: 0] += 1
          lastStep = step
        } else {
          pendingWrong = step
        }
      } else {
        arithmeticErrorsLeftUncorrected += 1
      }
    }
    if pendingWrong != nil { arithmeticErrorsLeftUncorrected += 1 }
    if let lastStep, lastStep.stated != finalValue { arithmeticErrorsLeftUncorrected += 1 }
  }
}
