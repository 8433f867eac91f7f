import Foundation
import VouchTestSupport

@testable import VouchModels

/// `Tests/Fixtures/tokenizer/`: a tokenizer trained by `tokenizers` and what it gives for
/// held-out text (see scripts/fixtures/tokenizer.py).
struct TokenizerFixture {
  struct Case: Sendable, CustomTestStringConvertibleShim {
    var text: String
    var ids: [Int]
    var tokens: [String]
    var decoded: String
    var decodedSkipSpecial: String
    var label: String { String(text.debugDescription.prefix(40)) }
  }

  struct Split: Sendable, CustomTestStringConvertibleShim {
    var text: String
    var pieces: [String]
    var label: String { String(text.debugDescription.prefix(40)) }
  }

  static let tokenizerURL = Fixtures.url("tokenizer/tokenizer.json")

  static func load() throws -> (cases: [Case], splits: [Split]) {
    let data = try Data(contentsOf: Fixtures.url("tokenizer/expected.json"))
    let root = try JSONReader.parse([UInt8](data), file: "expected.json")
    let cases = (root["cases"]?.arrayValue ?? []).map { node in
      Case(
        text: node["text"]?.stringValue ?? "",
        ids: (node["ids"]?.arrayValue ?? []).compactMap(\.intValue),
        tokens: (node["tokens"]?.arrayValue ?? []).compactMap(\.stringValue),
        decoded: node["decoded"]?.stringValue ?? "",
        decodedSkipSpecial: node["decoded_skip_special"]?.stringValue ?? "")
    }
    let splits = (root["pretokenize"]?.arrayValue ?? []).map { node in
      Split(
        text: node["text"]?.stringValue ?? "",
        pieces: (node["pieces"]?.arrayValue ?? []).compactMap(\.stringValue))
    }
    return (cases, splits)
  }

  /// The cases, loaded once for `@Test(arguments:)` (empty when the fixture is unreadable, which
  /// the `fixtureLoads` test reports).
  static let cases: [Case] = (try? load().cases) ?? []
  static let splits: [Split] = (try? load().splits) ?? []
}

/// Labels for parameterised test output.
protocol CustomTestStringConvertibleShim { var label: String { get } }
