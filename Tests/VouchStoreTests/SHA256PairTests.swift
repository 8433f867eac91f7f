import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

/// `SHA256Pair` (vouch's SHA-NI loops) against swift-crypto on every padding case.
@Suite(.enabled(if: SHA256Pair.isAvailable, "needs the x86 SHA extensions"))
struct SHA256PairTests {
  @Test(arguments: [
    (0, 0), (1, 3), (55, 56), (56, 55), (63, 64), (64, 65), (119, 120), (127, 128),
    (128, 0), (4095, 70_001), (131_072, 16_385),
  ])
  func pairDigestsEqualSwiftCrypto(lengths: (Int, Int)) {
    var generator = SeededGenerator(seed: UInt64(lengths.0 * 7 + lengths.1))
    let first = generator.bytes(lengths.0)
    let second = generator.bytes(lengths.1)
    first.withUnsafeBytes { a in
      second.withUnsafeBytes { b in
        let (x, y) = SHA256Pair.digests(a, b)
        #expect(x == Digest.of(Data(first)))
        #expect(y == Digest.of(Data(second)))
      }
    }
  }

  @Test func randomLengthsAgree() {
    var generator = SeededGenerator(seed: 99)
    for _ in 0..<200 {
      let first = generator.bytes(Int(generator.next() % 5000))
      let second = generator.bytes(Int(generator.next() % 5000))
      first.withUnsafeBytes { a in
        second.withUnsafeBytes { b in
          let (x, y) = SHA256Pair.digests(a, b)
          #expect(x == Digest.of(Data(first)) && y == Digest.of(Data(second)))
        }
      }
    }
  }

  @Test func laneDigestsOfManyMessagesAgree() {
    var generator = SeededGenerator(seed: 98)
    for count in [0, 1, 2, 3, 7, 40] {
      let messages = (0..<count).map { _ in generator.bytes(Int(generator.next() % 140_000)) }
      let pointers = messages.map { bytes in
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        copy.copyBytes(from: bytes)
        return UnsafeRawBufferPointer(copy)
      }
      defer { for pointer in pointers { pointer.deallocate() } }
      #expect(SHA256Pair.digests(of: pointers) == messages.map { Digest.of(Data($0)) })
    }
  }
}
