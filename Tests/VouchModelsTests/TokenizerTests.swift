import Foundation
import Testing
import VouchTestSupport

@testable import VouchModels

/// The tokenizer against ids and text computed by Hugging Face `tokenizers`.
@Suite struct TokenizerTests {
  static let tokenizer: Tokenizer? = try? Tokenizer(contentsOf: TokenizerFixture.tokenizerURL)

  @Test func fixtureLoads() throws {
    _ = try Tokenizer(contentsOf: TokenizerFixture.tokenizerURL)
    #expect(TokenizerFixture.cases.count >= 25)
    #expect(TokenizerFixture.splits.count >= 600)
  }

  @Test(arguments: TokenizerFixture.cases.indices)
  func idsMatchTokenizers(_ index: Int) throws {
    let tokenizer = try #require(TokenizerTests.tokenizer)
    let expected = TokenizerFixture.cases[index]
    let ids = tokenizer.encode(expected.text)
    #expect(ids == expected.ids, "\(expected.label)")
    #expect(tokenizer.tokens(for: ids) == expected.tokens, "\(expected.label)")
  }

  @Test(arguments: TokenizerFixture.cases.indices)
  func decodeMatchesTokenizers(_ index: Int) throws {
    let tokenizer = try #require(TokenizerTests.tokenizer)
    let expected = TokenizerFixture.cases[index]
    #expect(try tokenizer.decode(expected.ids) == expected.decoded, "\(expected.label)")
    #expect(
      try tokenizer.decode(expected.ids, skipSpecial: true) == expected.decodedSkipSpecial,
      "\(expected.label)")
    // Round trip: decoding what we encode gives the NFC form of the input.
    let roundTrip = try tokenizer.decode(tokenizer.encode(expected.text))
    let nfc = String(decoding: expected.text._nfcCodeUnits, as: UTF8.self)
    #expect(Array(roundTrip.utf8) == Array(nfc.utf8), "\(expected.label)")
  }

  @Test(arguments: TokenizerFixture.splits.indices)
  func splitterMatchesTokenizersRegex(_ index: Int) {
    let expected = TokenizerFixture.splits[index]
    #expect(TokenizerSplitter.split(expected.text) == expected.pieces, "\(expected.label)")
  }

  @Test func nfdAndNfcEncodeAlike() throws {
    let tokenizer = try #require(TokenizerTests.tokenizer)
    #expect(tokenizer.encode("Cafe\u{301} re\u{301}sume\u{301}") == tokenizer.encode("Café résumé"))
  }

  @Test func longWordsUseTheHeapPathAndAgreeWithTheSimplePath() throws {
    let tokenizer = try #require(TokenizerTests.tokenizer)
    var random = SeededGenerator(seed: 11)
    let letters = Array("abcdefghijklmnopqrstuvwxyzéü")
    for _ in 0..<50 {
      let length = Int(random.next() % 60) + 17
      let word = String(
        (0..<length).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
      // Split the word into halves the merge loop sees separately only when it is short; compare
      // the heap path (one long word) with a reference merge done by repeated best-pair scans.
      let ids = tokenizer.model.encodeUncached(Array(word.utf8))
      #expect(ids == referenceMerge(tokenizer, Array(word.utf8)), "\(word)")
      #expect(try tokenizer.decode(ids.map(Int.init)) == word)
    }
  }

  /// Textbook BPE: repeatedly merge the lowest-ranked adjacent pair (leftmost among equals).
  func referenceMerge(_ tokenizer: Tokenizer, _ bytes: [UInt8]) -> [Int32] {
    var symbols = bytes.map { tokenizer.model.byteTokens[Int($0)] }
    while true {
      var best: (rank: Int32, index: Int, merged: Int32)?
      for index in 0..<max(symbols.count - 1, 0) {
        if let merge = tokenizer.model.merges.merge(symbols[index], symbols[index + 1]),
          merge.rank < best?.rank ?? .max
        {
          best = (merge.rank, index, merge.merged)
        }
      }
      guard let best else { return symbols }
      symbols[best.index] = best.merged
      symbols.remove(at: best.index + 1)
    }
  }

  @Test func nfcFastPathRangesAreStable() {
    var unstable: [UInt32] = []
    for value in UInt32(0)...0x1FFFF where String.isNFCStable(value) {
      guard let scalar = Unicode.Scalar(value) else { continue }
      let text = String(scalar)
      if String(decoding: text._nfcCodeUnits, as: UTF8.self).unicodeScalars.map(\.value) != [value]
        || scalar.properties.canonicalCombiningClass != .notReordered
      {
        unstable.append(value)
      }
    }
    #expect(unstable.isEmpty, "NFC changes \(unstable.prefix(10).map { String($0, radix: 16) })")
  }

  /// Without a normaliser, NFD and NFC words are different words (ids from `tokenizers` with
  /// the fixture's normalizer set to null); the word cache must not conflate them.
  @Test func withoutNormalizerNFDAndNFCStayDistinct() throws {
    let data = try Data(contentsOf: TokenizerFixture.tokenizerURL)
    var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    root["normalizer"] = NSNull()
    let edited = try JSONSerialization.data(withJSONObject: root)
    let tokenizer = try Tokenizer(json: [UInt8](edited), source: "t.json")
    #expect(tokenizer.normalizesNFC == false)
    #expect(tokenizer.encode("caf\u{E9} caf\u{E9}") == [395, 1728, 1745])
    #expect(
      tokenizer.encode("cafe\u{301} cafe\u{301}") == [395, 382, 136, 223, 748, 382, 136, 223])
  }

  @Test func sparseIdsAreRefusedBeforeAllocating() throws {
    let data = try Data(contentsOf: TokenizerFixture.tokenizerURL)
    var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var added = try #require(root["added_tokens"] as? [[String: Any]])
    added[0]["id"] = 2_000_000_000
    root["added_tokens"] = added
    let edited = try JSONSerialization.data(withJSONObject: root)
    let message = modelErrorMessage { _ = try Tokenizer(json: [UInt8](edited), source: "t.json") }
    #expect(
      message == "t.json: token ids are sparse (largest id 2000000000 for 4006 tokens); "
        + "the vocabulary is corrupt")
  }

  @Test func unknownIdIsAnError() throws {
    let tokenizer = try #require(TokenizerTests.tokenizer)
    #expect(throws: ModelError.self) { try tokenizer.decode([tokenizer.vocabularySize]) }
  }

  @Test func rejectsOtherPreTokenizers() throws {
    let data = try Data(contentsOf: TokenizerFixture.tokenizerURL)
    var text = String(decoding: data, as: UTF8.self)
    text = text.replacingOccurrences(of: #"\\p{N}|"#, with: #"\\p{N}{1,3}|"#)
    let message = modelErrorMessage { _ = try Tokenizer(json: Array(text.utf8), source: "t.json") }
    #expect(
      message == "t.json: pre_tokenizer Split pattern is not Qwen2's; vouch reads "
        + "Qwen2-style byte-level BPE")
  }

  @Test func addedTokenFlags() throws {
    let tokenizer = try #require(TokenizerTests.tokenizer)
    let matcher = AddedTokenMatcher([
      AddedToken(id: 1, content: "<a>", special: true, leftStrip: true, rightStrip: true),
      AddedToken(id: 2, content: "cat", special: false, singleWord: true),
      AddedToken(id: 3, content: "<a>b", special: false),
    ])
    #expect(matcher.segments(Array("x  <a>  y".utf8)) == [.text(0..<1), .token(1), .text(8..<9)])
    #expect(matcher.segments(Array("<a>bc".utf8)) == [.token(3), .text(4..<5)])
    #expect(
      matcher.segments(Array("a cat concatenate".utf8)) == [.text(0..<2), .token(2), .text(5..<17)])
    _ = tokenizer
  }
}
