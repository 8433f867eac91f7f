import Foundation

/// Builds a safetensors file in memory and writes it atomically, with a deterministic byte layout.
///
/// The layout matches the reference writer (`safetensors.torch.save_file`): tensors ordered by
/// dtype (F32 before BF16) then name, compact JSON with `__metadata__` first (its keys sorted here,
/// where the reference's order is a hash map's), the header padded with spaces to a multiple of 8.
/// Tensors are converted when added, so the writer holds the file's size, not a Float32 copy.
public struct SafetensorsWriter: Sendable {
  private struct Entry: Sendable {
    var name: String
    var dtype: WeightDType
    var shape: [Int]
    var bytes: [UInt8]
  }

  private var entries: [String: Entry] = [:]
  /// The `__metadata__` map written into the header.
  public var metadata: [String: String] = [:]

  /// Creates an empty writer.
  public init() {}

  /// Adds `values` (row-major, `shape.reduce(1, *)` elements) stored as `dtype`.
  ///
  /// BF16 rounds to nearest even like torch's `.to(torch.bfloat16)`.
  /// - Throws: `ModelError` when the name repeats, the count does not match the shape, or
  ///   `dtype` is F16 (not written by vouch).
  public mutating func add(
    _ name: String, shape: [Int], values: [Float], as dtype: WeightDType = .float32
  ) throws {
    guard entries[name] == nil, name != "__metadata__" else {
      throw ModelError(.malformed, "safetensors writer: tensor '\(name)' added twice")
    }
    guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
      throw ModelError(
        .malformed,
        "safetensors writer: tensor '\(name)' has \(values.count) values "
          + "but shape \(shape)")
    }
    var bytes = [UInt8]()
    switch dtype {
    case .float32:
      bytes.reserveCapacity(values.count * 4)
      for value in values {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
      }
    case .bfloat16:
      bytes.reserveCapacity(values.count * 2)
      for value in values {
        withUnsafeBytes(of: HalfPrecision.bfloat16(value).littleEndian) {
          bytes.append(contentsOf: $0)
        }
      }
    case .float16:
      throw ModelError(
        .unsupported, "safetensors writer: tensor '\(name)': vouch writes F32 and BF16 only")
    }
    entries[name] = Entry(name: name, dtype: dtype, shape: shape, bytes: bytes)
  }

  /// The complete file: length, padded header, data.
  public func encoded() -> [UInt8] {
    let ordered = entries.values.sorted {
      ($0.dtype.writerRank, $0.name) < ($1.dtype.writerRank, $1.name)
    }
    var json = "{"
    var first = true
    if !metadata.isEmpty {
      json += "\"__metadata__\":{"
      json += metadata.keys.sorted().map {
        "\(JSONStringLiteral.quoted($0)):\(JSONStringLiteral.quoted(metadata[$0] ?? ""))"
      }.joined(separator: ",")
      json += "}"
      first = false
    }
    var offset = 0
    for entry in ordered {
      if !first { json += "," }
      first = false
      let shape = entry.shape.map(String.init).joined(separator: ",")
      json += "\(JSONStringLiteral.quoted(entry.name)):{\"dtype\":\"\(entry.dtype.rawValue)\","
      json += "\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + entry.bytes.count)]}"
      offset += entry.bytes.count
    }
    json += "}"
    var header = Array(json.utf8)
    header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
    var file = [UInt8]()
    file.reserveCapacity(8 + header.count + offset)
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
    file.append(contentsOf: header)
    for entry in ordered { file.append(contentsOf: entry.bytes) }
    return file
  }

  /// Writes the file to `url` atomically (a temporary file in the same folder, fsync, rename).
  /// - Throws: `ModelError.io` naming the file; nothing is left behind on failure.
  public func write(to url: URL) throws {
    try AtomicFile.write(encoded(), to: url)
  }
}
