import Foundation
import Testing
import VouchTestSupport

@testable import VouchModels

/// Random mutations of a valid file: the loader must throw or succeed, never crash or hang.
@Suite struct SafetensorsFuzzTests {
  /// A valid file with several dtypes, metadata and an empty tensor.
  static func validFile() throws -> [UInt8] {
    var writer = SafetensorsWriter()
    writer.metadata = ["format": "pt"]
    try writer.add("a.weight", shape: [3, 4], values: (0..<12).map(Float.init))
    try writer.add("b.bias", shape: [5], values: (0..<5).map(Float.init), as: .bfloat16)
    try writer.add("c.empty", shape: [0, 2], values: [])
    return writer.encoded()
  }

  @Test func thousandSeededMutationsNeverCrash() throws {
    let valid = try SafetensorsFuzzTests.validFile()
    let headerEnd = 8 + Int(valid[0]) + Int(valid[1]) << 8
    var random = SeededGenerator(seed: 0x5AFE_7E45)
    var accepted = 0
    var rejected = 0
    for _ in 0..<1000 {
      var bytes = valid
      switch random.next() % 5 {
      case 0:  // flip bytes inside the header
        for _ in 0...(random.next() % 4) {
          let index = 8 + Int(random.next() % UInt64(headerEnd - 8))
          bytes[index] ^= UInt8(truncatingIfNeeded: random.next() | 1)
        }
      case 1:  // truncate anywhere
        bytes.removeLast(Int(random.next() % UInt64(bytes.count)) + 1)
      case 2:  // alter the header length
        let length =
          random.next() % 3 == 0 ? random.next() : random.next() % UInt64(bytes.count + 16)
        withUnsafeBytes(of: length.littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
      case 3:  // replace a digit in the header (shapes, offsets) with another digit
        let digits = (8..<headerEnd).filter { (0x30...0x39).contains(bytes[$0]) }
        let index = digits[Int(random.next() % UInt64(digits.count))]
        bytes[index] = 0x30 + UInt8(random.next() % 10)
      default:  // insert or delete header bytes, keeping the stated length
        let index = 8 + Int(random.next() % UInt64(headerEnd - 8))
        if random.next() % 2 == 0 {
          bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: index)
        } else {
          bytes.remove(at: index)
        }
      }
      do {
        let header = try parseHeader(bytes)
        // A mutation the loader accepts must still be readable within the file.
        for tensor in header.tensors {
          #expect(header.dataOffset + tensor.dataRange.upperBound <= bytes.count)
        }
        accepted += 1
      } catch is ModelError {
        rejected += 1
      }
    }
    #expect(accepted + rejected == 1000)
    #expect(rejected > 500, "most mutations should be rejected, got \(rejected)")
  }
}
