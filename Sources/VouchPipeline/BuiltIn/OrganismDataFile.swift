import Foundation
import VouchModels

/// The JSON Lines files of the organism's data folder: training examples (`base.jsonl`,
/// `reasoning.jsonl`) and held-out problems (`evaluation.jsonl`), one object per line, keys
/// sorted, so equal data give equal bytes.
enum OrganismDataFile {
  /// Base-style training examples.
  static let base = "base.jsonl"
  /// Reasoning traces.
  static let reasoning = "reasoning.jsonl"
  /// Held-out evaluation problems.
  static let evaluation = "evaluation.jsonl"
  /// The organism's closed vocabulary.
  static let tokenizer = "tokenizer.json"

  /// One training example: prompt and response text in the organism vocabulary.
  struct Example: Codable {
    /// `<bos><user>…<assistant>`.
    var prompt: String
    /// The response up to `<eos>`.
    var response: String
    /// `base` or the trace style.
    var style: String
  }

  /// One held-out problem, with enough structure to rebuild it.
  struct Problem: Codable {
    /// The problem as written, e.g. `12+3*(4-5)`.
    var text: String
    /// Its value.
    var answer: Int
    /// The operands, left to right.
    var operands: [Int]
    /// The operators as one string, e.g. `+*-`.
    var operators: String
    /// The operand range `[lower, upper)` in parentheses, if any.
    var parentheses: [Int]?
  }

  /// Writes `lines` as JSON Lines to `url`.
  static func write<Line: Encodable>(_ lines: [Line], to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var data = Data()
    for line in lines {
      data.append(try encoder.encode(line))
      data.append(0x0A)
    }
    try data.write(to: url)
  }

  /// Reads JSON Lines from `url`; `what` names the file in errors.
  static func read<Line: Decodable>(_: Line.Type, from url: URL, what: String) throws -> [Line] {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw PipelineError.usage("\(what) '\(url.path)' cannot be read; check the path")
    }
    let decoder = JSONDecoder()
    var lines: [Line] = []
    for (index, slice) in data.split(separator: 0x0A).enumerated() {
      do {
        lines.append(try decoder.decode(Line.self, from: Data(slice)))
      } catch {
        throw PipelineError.usage(
          "\(what) '\(url.path)' line \(index + 1) is not an organism record; regenerate it with "
            + "an organism-data stage")
      }
    }
    return lines
  }

  /// The record of an example.
  static func line(_ example: OrganismExample) -> Example {
    Example(prompt: example.prompt, response: example.response, style: example.style.rawValue)
  }

  /// The record of a problem.
  static func line(_ problem: ArithmeticProblem) -> Problem {
    Problem(
      text: problem.text, answer: problem.answer, operands: problem.operands,
      operators: String(problem.operators.map(\.rawValue)),
      parentheses: problem.parentheses.map { [$0.lowerBound, $0.upperBound] })
  }

  /// Rebuilds a problem, checking it against its recorded text and answer.
  static func problem(_ line: Problem, index: Int, file: URL) throws -> ArithmeticProblem {
    let operators = line.operators.compactMap(ArithmeticProblem.Operator.init(rawValue:))
    let range = line.parentheses.flatMap { $0.count == 2 ? $0[0]..<$0[1] : nil }
    let valid =
      operators.count == line.operators.count && line.operands.count == operators.count + 1
      && (line.parentheses == nil
        || (range.map {
          $0.count >= 2 && $0.lowerBound >= 0 && $0.upperBound < line.operands.count + 1
            && $0.count < line.operands.count
        } ?? false))
    guard valid else {
      throw PipelineError.usage(
        "'\(file.path)' line \(index + 1) is not a well-formed problem; regenerate the data")
    }
    let problem = ArithmeticProblem(
      operands: line.operands, operators: operators, parentheses: range)
    guard problem.text == line.text, problem.answer == line.answer else {
      throw PipelineError.usage(
        "'\(file.path)' line \(index + 1): '\(line.text)' does not match its operands; "
          + "regenerate the data")
    }
    return problem
  }
}
