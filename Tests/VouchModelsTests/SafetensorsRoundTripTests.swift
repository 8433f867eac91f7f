import Foundation
import Testing
import VouchTestSupport

@testable import VouchModels

/// Writing then reading, and reading files the Python `safetensors` package wrote.
@Suite struct SafetensorsRoundTripTests {
  @Test func roundTripsFloat32AndBFloat16() throws {
    let directory = try TemporaryDirectory()
    var random = SeededGenerator(seed: 7)
    let values = (0..<60).map { _ in Float.random(in: -4...4, using: &random) }
    var writer = SafetensorsWriter()
    writer.metadata = ["format": "pt", "note": "quote \" and é"]
    try writer.add("z.f32", shape: [3, 4, 5], values: values)
    try writer.add("a.bf16", shape: [60], values: values, as: .bfloat16)
    let url = directory.path("model.safetensors")
    try writer.write(to: url)

    let file = try SafetensorsFile(url: url)
    #expect(file.tensorNames == ["a.bf16", "z.f32"])
    #expect(file.metadata == writer.metadata)
    #expect(try file.float32("z.f32") == values)
    #expect(file.shapeAndType(of: "z.f32")?.shape == [3, 4, 5])
    #expect(file.shapeAndType(of: "a.bf16")?.dtype == .bfloat16)
    let widened = try file.float32("a.bf16")
    for (stored, original) in zip(widened, values) {
      #expect(stored == HalfPrecision.float(bfloat16: HalfPrecision.bfloat16(original)))
      #expect(abs(stored - original) <= abs(original) / 128)
    }
    // Deterministic: the same tensors give the same bytes; nothing temporary is left behind.
    #expect(try Data(contentsOf: url) == Data(writer.encoded()))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
    #expect(leftovers == ["model.safetensors"])
    #expect(
      modelErrorMessage { _ = try file.float32("nope") } == "\(url.path): no tensor named 'nope'")
  }

  @Test func readsWhatPythonSafetensorsWrote() throws {
    let file = try SafetensorsFile(url: Fixtures.url("safetensors/reference.safetensors"))
    let expected = try ExpectedTensors.load()
    #expect(file.metadata == ["format": "pt"])
    #expect(file.tensorNames == expected.tensors.keys.sorted())
    for (name, tensor) in expected.tensors {
      let info = try #require(file.info(name))
      #expect(info.shape == tensor.shape, "\(name)")
      #expect(info.dtype.rawValue == tensor.dtype, "\(name)")
      // NaN payloads differ between widening paths (torch's CPU path gives 0x7FFFFFFF, the
      // hardware and numpy keep the payload); any NaN is right.
      let values = try file.float32(name)
      #expect(values.count == tensor.bits.count, "\(name)")
      for (value, bits) in zip(values, tensor.bits) {
        let reference = Float(bitPattern: bits)
        #expect(
          reference.isNaN ? value.isNaN : value.bitPattern == bits,
          "\(name): \(value) != \(reference)")
      }
    }
  }

  @Test func writerReproducesReferenceBytes() throws {
    let url = Fixtures.url("safetensors/f32_bf16.safetensors")
    let reference = try SafetensorsFile(url: url)
    var writer = SafetensorsWriter()
    writer.metadata = reference.metadata
    for name in reference.tensorNames.reversed() {
      let info = try #require(reference.info(name))
      try writer.add(name, shape: info.shape, values: try reference.float32(name), as: info.dtype)
    }
    #expect(writer.encoded() == [UInt8](try Data(contentsOf: url)))
  }

  @Test func bfloat16RoundingMatchesTorch() throws {
    let expected = try ExpectedTensors.load()
    #expect(expected.rounding.inputs.count > 200)
    for (input, bf16) in zip(expected.rounding.inputs, expected.rounding.bf16) {
      let ours = HalfPrecision.bfloat16(Float(bitPattern: input))
      let value = Float(bitPattern: input)
      if value.isNaN {
        #expect(HalfPrecision.float(bfloat16: ours).isNaN)
      } else {
        #expect(ours == UInt16(bf16), "input 0x\(String(input, radix: 16))")
      }
    }
  }

  @Test func float16WideningIsExact() {
    #if arch(x86_64) || arch(arm64)
      for bits in UInt16.min...UInt16.max {
        let ours = HalfPrecision.float(float16: bits)
        let reference = Float(Float16(bitPattern: bits))
        if reference.isNaN {
          #expect(ours.isNaN)
        } else if ours.bitPattern != reference.bitPattern {
          Issue.record("f16 0x\(String(bits, radix: 16)): \(ours) != \(reference)")
        }
      }
    #endif
  }
}

/// `Tests/Fixtures/safetensors/expected.json`.
struct ExpectedTensors {
  struct Tensor {
    var dtype: String
    var shape: [Int]
    var bits: [UInt32]
  }
  var tensors: [String: Tensor] = [:]
  var rounding: (inputs: [UInt32], bf16: [UInt32]) = ([], [])

  static func load() throws -> ExpectedTensors {
    let data = try Data(contentsOf: Fixtures.url("safetensors/expected.json"))
    let root = try JSONReader.parse([UInt8](data), file: "expected.json")
    var result = ExpectedTensors()
    for member in root["tensors"]?.objectValue ?? [] {
      result.tensors[member.key] = Tensor(
        dtype: member.value["dtype"]?.stringValue ?? "",
        shape: (member.value["shape"]?.arrayValue ?? []).compactMap(\.intValue),
        bits: (member.value["bits"]?.arrayValue ?? []).compactMap { $0.intValue.map(UInt32.init) })
    }
    let rounding = root["bf16_rounding"]
    result.rounding = (
      (rounding?["inputs"]?.arrayValue ?? []).compactMap { $0.intValue.map(UInt32.init) },
      (rounding?["bf16"]?.arrayValue ?? []).compactMap { $0.intValue.map(UInt32.init) }
    )
    return result
  }
}
