import Foundation
import Testing
import VouchCore

@Suite struct CanonicalJSONTests {
  struct Sample: Codable {
    var zeta: Int
    var alpha: String
    var nested: [String: Double]
    var list: [Bool?]
  }

  @Test func sortsKeysAndHasNoWhitespace() throws {
    let value = Sample(
      zeta: 3, alpha: "a\"b\\c\n", nested: ["b": 0.1, "a": 2.0], list: [true, nil])
    let text = String(decoding: try CanonicalJSON.data(for: value), as: UTF8.self)
    #expect(
      text == #"{"alpha":"a\"b\\c\n","list":[true,null],"nested":{"a":2,"b":0.1},"zeta":3}"#)
  }

  @Test func keysSortByUTF8Bytes() throws {
    let text = String(
      decoding: try CanonicalJSON.data(for: ["b": 1, "B": 2, "é": 3, "a": 4]), as: UTF8.self)
    #expect(text == #"{"B":2,"a":4,"b":1,"é":3}"#)
  }

  @Test func shortestRoundTripFloats() throws {
    let values: [Double] = [0.1, 1e-5, 1.0 / 3.0, 123456789.125, -0.0]
    let text = String(decoding: try CanonicalJSON.data(for: values), as: UTF8.self)
    #expect(text == "[0.1,1e-05,0.3333333333333333,123456789.125,0]")
    let back = try JSONDecoder().decode([Double].self, from: Data(text.utf8))
    #expect(back[0...3] == values[0...3])
  }

  @Test func controlCharactersAreEscaped() throws {
    let text = String(decoding: try CanonicalJSON.data(for: ["\u{01}\t"]), as: UTF8.self)
    #expect(text == #"["\u0001\t"]"#)
  }

  @Test func refusesNonFiniteNumbers() {
    #expect(throws: CoreError.self) { try CanonicalJSON.data(for: [Double.nan]) }
  }

  @Test func prettyFormIsStableAndParsesToTheSameValue() throws {
    let value = Sample(zeta: 1, alpha: "x", nested: ["k": 1.5], list: [])
    let pretty = try CanonicalJSON.prettyData(for: value)
    #expect(
      String(decoding: pretty, as: UTF8.self)
        == "{\n  \"alpha\": \"x\",\n  \"list\": [],\n  \"nested\": {\n    \"k\": 1.5\n  },\n  \"zeta\": 1\n}\n"
    )
    let reparsed = try JSONDecoder().decode(JSONValue.self, from: pretty)
    #expect(try CanonicalJSON.data(for: reparsed) == CanonicalJSON.data(for: value))
    #expect(try CanonicalJSON.digest(of: reparsed) == CanonicalJSON.digest(of: value))
  }
}
