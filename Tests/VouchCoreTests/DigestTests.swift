import Foundation
import Testing
import VouchCore

@Suite struct DigestTests {
  @Test func emptyInputMatchesSha256sum() throws {
    // `printf '' | sha256sum`
    #expect(
      Digest.of(Data()).description
        == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  @Test func knownVectorAndShortForm() {
    // `printf 'abc' | sha256sum`
    let digest = Digest.of(Data("abc".utf8))
    #expect(digest.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(digest.short == "ba7816bf")
  }

  @Test func parsesWithAndWithoutPrefixAndRoundTrips() throws {
    let digest = Digest.of(Data("abc".utf8))
    #expect(try Digest(parsing: digest.hex) == digest)
    #expect(try Digest(parsing: digest.description) == digest)
    #expect(try Digest(parsing: digest.hex.uppercased()) == digest)
    #expect(Digest(digest.description) == digest)
    #expect(try Digest(bytes: digest.bytes) == digest)
  }

  @Test(arguments: [
    "sha256:abc", String(repeating: "g", count: 64), "", String(repeating: "0", count: 65),
    "sha512:" + String(repeating: "0", count: 64), "sha256-" + String(repeating: "0", count: 64),
    "sha256:" + String(repeating: "0", count: 63) + "é",
  ])
  func rejectsMalformedText(_ text: String) {
    #expect(throws: CoreError.self) { try Digest(parsing: text) }
  }

  @Test func wrongLengthMessageSaysWhatIsExpected() {
    do {
      _ = try Digest(parsing: "sha256:abcd")
      Issue.record("expected an error")
    } catch let error as CoreError {
      #expect(error.message.contains("expected 64 hex characters, got 4"))
      #expect(error.category == .usage)
    } catch { Issue.record("unexpected \(error)") }
  }

  @Test func codableUsesTextualForm() throws {
    let digest = Digest.of(Data("x".utf8))
    let data = try JSONEncoder().encode([digest])
    #expect(String(decoding: data, as: UTF8.self) == "[\"\(digest.description)\"]")
    #expect(try JSONDecoder().decode([Digest].self, from: data) == [digest])
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([Digest].self, from: Data("[\"sha256:00\"]".utf8))
    }
  }

  @Test func orderingIsByteOrder() throws {
    let low = try Digest(parsing: "00" + String(repeating: "f", count: 62))
    let high = try Digest(parsing: "01" + String(repeating: "0", count: 62))
    #expect(low < high)
    // Each of the four words decides when the earlier ones are equal.
    for position in stride(from: 0, to: 64, by: 16) {
      let zeros = String(repeating: "0", count: 64)
      let index = zeros.index(zeros.startIndex, offsetBy: position + 15)
      var bigger = zeros
      bigger.replaceSubrange(index...index, with: "1")
      #expect(try Digest(parsing: zeros) < Digest(parsing: bigger))
      #expect(!(try Digest(parsing: bigger) < Digest(parsing: zeros)))
    }
  }

  @Test func hexAndBytesRoundTripEveryNibblePosition() throws {
    for round in 0..<100 {
      let bytes = (0..<32).map { UInt8(truncatingIfNeeded: ($0 &* 97 &+ round &* 31) ^ round) }
      let digest = try Digest(bytes: bytes)
      #expect(digest.bytes == bytes)
      #expect(digest.hex == bytes.map { String(format: "%02x", $0) }.joined())
      #expect(try Digest(parsing: digest.hex) == digest)
    }
  }
}
