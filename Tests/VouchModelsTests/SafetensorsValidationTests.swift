import Foundation
import Testing
import VouchTestSupport

@testable import VouchModels

/// Each malformed file the loader must reject, with the message it must give.
@Suite struct SafetensorsValidationTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var label: String
    var bytes: [UInt8]
    var message: String
    var testDescription: String { label }
  }

  static let f32x2 = #"{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#

  static let cases: [Case] = [
    Case(
      label: "too short", bytes: [1, 2, 3],
      message: "test.safetensors: 3 bytes is too short for a safetensors file"),
    Case(
      label: "header length beyond the file",
      bytes: safetensorsBytes(header: "{}", data: [], length: 4096),
      message: "test.safetensors: header length 4096 goes beyond the file (10 bytes)"),
    Case(
      label: "header length near UInt64.max",
      bytes: safetensorsBytes(header: "{}", data: [], length: UInt64.max),
      message: "test.safetensors: header length 18446744073709551615 goes beyond the file"),
    Case(
      label: "not JSON", bytes: safetensorsBytes(header: "{\"a\":", data: []),
      message: "test.safetensors: invalid JSON at byte 5: unexpected end of input"),
    Case(
      label: "not an object", bytes: safetensorsBytes(header: "[1]", data: []),
      message: "test.safetensors: header does not start with '{'"),
    Case(
      label: "unknown dtype",
      bytes: safetensorsBytes(
        header: #"{"w":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}}"#,
        data: .init(repeating: 0, count: 8)),
      message: "test.safetensors: tensor 'w' has unknown dtype 'Q7'"),
    Case(
      label: "unsupported dtype",
      bytes: safetensorsBytes(
        header: #"{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#,
        data: .init(repeating: 0, count: 8)),
      message: "test.safetensors: tensor 'w' has dtype I64; vouch reads F32, BF16 and F16 only"),
    Case(
      label: "duplicate names",
      bytes: safetensorsBytes(
        header: "{\"w\":\(f32x2),\"w\":\(f32x2)}", data: .init(repeating: 0, count: 8)),
      message: "test.safetensors: tensor 'w' is listed twice in the header"),
    Case(
      label: "offsets out of range",
      bytes: safetensorsBytes(
        header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
        data: .init(repeating: 0, count: 4)),
      message:
        "test.safetensors: tensor 'w' has data_offsets [0, 8] outside the data section (4 bytes)"),
    Case(
      label: "end before begin",
      bytes: safetensorsBytes(
        header: #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#,
        data: .init(repeating: 0, count: 8)),
      message: "test.safetensors: tensor 'w' has invalid data_offsets"),
    Case(
      label: "overlapping offsets",
      bytes: safetensorsBytes(
        header:
          #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
        data: .init(repeating: 0, count: 12)),
      message: "test.safetensors: tensors 'a' [0, 8] and 'b' [4, 12] overlap"),
    Case(
      label: "gap between tensors",
      bytes: safetensorsBytes(
        header:
          #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
        data: .init(repeating: 0, count: 12)),
      message: "test.safetensors: data bytes [4, 8) belong to no tensor (before 'b')"),
    Case(
      label: "trailing bytes",
      bytes: safetensorsBytes(header: "{\"w\":\(f32x2)}", data: .init(repeating: 0, count: 12)),
      message: "test.safetensors: data section has 12 bytes but its tensors cover 8"),
    Case(
      label: "byte range not matching shape × dtype",
      bytes: safetensorsBytes(
        header: #"{"w":{"dtype":"BF16","shape":[3],"data_offsets":[0,8]}}"#,
        data: .init(repeating: 0, count: 8)),
      message: "test.safetensors: tensor 'w' has 8 bytes at [0, 8] but shape [3] × BF16 needs 6"),
    Case(
      label: "negative shape",
      bytes: safetensorsBytes(
        header: #"{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#,
        data: .init(repeating: 0, count: 8)),
      message: "test.safetensors: tensor 'w' has an invalid shape: dimensions must be non-negative"),
    Case(
      label: "overflowing shape",
      bytes: safetensorsBytes(
        header: #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#,
        data: .init(repeating: 0, count: 8)),
      message:
        "test.safetensors: tensor 'w' has shape [4294967296, 4294967296] whose size overflows"),
    Case(
      label: "shape too large for an Int",
      bytes: safetensorsBytes(
        header: #"{"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,8]}}"#,
        data: .init(repeating: 0, count: 8)),
      message: "test.safetensors: tensor 'w' has an invalid shape"),
    Case(
      label: "metadata not strings",
      bytes: safetensorsBytes(header: #"{"__metadata__":{"a":1}}"#, data: []),
      message: "test.safetensors: __metadata__ key 'a' is not a string"),
    Case(
      label: "nesting deep enough to exhaust a recursive parser",
      bytes: safetensorsBytes(
        header: "{\"w\":" + String(repeating: "[", count: 100_000), data: []),
      message: "test.safetensors: invalid JSON at byte 132: nesting deeper than 128"),
    Case(
      label: "tensor entry not an object",
      bytes: safetensorsBytes(header: #"{"w":3}"#, data: []),
      message: "test.safetensors: tensor 'w' is not an object"),
  ]

  @Test(arguments: cases)
  func rejectsWithMessage(_ malformed: Case) {
    let message = modelErrorMessage { _ = try parseHeader(malformed.bytes) }
    #expect(message?.hasPrefix(malformed.message) == true, "got \(message ?? "no error")")
  }

  @Test func fileErrorsNameThePath() throws {
    let directory = try TemporaryDirectory()
    let url = try directory.write(
      "bad.safetensors", Data(safetensorsBytes(header: "{}", data: [], length: 99)))
    let message = modelErrorMessage { _ = try SafetensorsFile(url: url) }
    #expect(
      message == "\(url.path): header length 99 goes beyond the file (10 bytes); "
        + "the file is truncated or not safetensors")
    let missing = modelErrorMessage { _ = try SafetensorsFile(url: directory.path("none")) }
    #expect(missing == "\(directory.path("none").path): no such file")
  }

  @Test func acceptsPaddedHeaderAndEmptyTensors() throws {
    let header =
      #"{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"w":"#
      + Self.f32x2 + "}    "
    let parsed = try parseHeader(
      safetensorsBytes(header: header, data: .init(repeating: 0, count: 8)))
    #expect(parsed.tensors.map(\.name) == ["e", "w"])
    #expect(parsed.tensors[0].elementCount == 0)
  }
}
