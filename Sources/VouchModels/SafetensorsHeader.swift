/// The parsed, validated header of a safetensors file.
///
/// Layout (the format's spec): 8 bytes little-endian `N`, then `N` bytes of JSON mapping each
/// tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the data
/// section that follows) plus an optional `"__metadata__"` string map, padded with spaces.
///
/// Validation follows the reference loader: offsets must tile the data section exactly — no
/// overlap, no gap, nothing after the last tensor — and each byte range must equal shape × dtype
/// size. Nothing read from the header sizes an allocation before it is checked against the file.
public struct SafetensorsHeader: Sendable {
  /// The reference implementation's limit on `N`.
  public static let maximumHeaderLength = 100_000_000

  /// Tensors sorted by name.
  public let tensors: [SafetensorsTensorInfo]
  /// The `__metadata__` map (empty when absent).
  public let metadata: [String: String]
  /// Offset of the data section from the start of the file (`8 + N`).
  public let dataOffset: Int

  /// Parses and validates the header of a whole safetensors file's bytes.
  /// - Parameters:
  ///   - bytes: the whole file (mapped), not just the header.
  ///   - file: the path used in error messages.
  /// - Returns: the validated header.
  /// - Throws: `ModelError` (`.malformed`, `.unsupported`) naming `file` and the tensor.
  public static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws
    -> SafetensorsHeader
  {
    guard bytes.count >= 8 else {
      throw ModelError.malformed(
        file,
        "\(bytes.count) bytes is too short for a safetensors file (needs an 8-byte header "
          + "length); the file is truncated or not safetensors")
    }
    let rawLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
    let available = bytes.count - 8
    guard rawLength <= UInt64(available), let length = Int(exactly: rawLength) else {
      throw ModelError.malformed(
        file,
        "header length \(rawLength) goes beyond the file (\(bytes.count) bytes); "
          + "the file is truncated or not safetensors")
    }
    guard length <= maximumHeaderLength else {
      throw ModelError.malformed(
        file, "header length \(length) exceeds the \(maximumHeaderLength)-byte limit")
    }
    guard length > 0, bytes[8] == UInt8(ascii: "{") else {
      throw ModelError.malformed(file, "header does not start with '{'; not a safetensors file")
    }
    let json = UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + length)])
    let root = try JSONReader.parse(json.bindMemory(to: UInt8.self), file: file)
    guard let members = root.objectValue else {
      throw ModelError.malformed(file, "header is not a JSON object")
    }
    let dataLength = available - length
    var seen = Set<String>()
    var metadata: [String: String] = [:]
    var tensors: [SafetensorsTensorInfo] = []
    tensors.reserveCapacity(members.count)
    for member in members {
      guard seen.insert(member.key).inserted else {
        throw ModelError.malformed(file, "tensor '\(member.key)' is listed twice in the header")
      }
      if member.key == "__metadata__" {
        metadata = try parseMetadata(member.value, file: file)
        continue
      }
      tensors.append(
        try parseTensor(member.key, member.value, dataLength: dataLength, file: file))
    }
    try checkTiling(tensors, dataLength: dataLength, file: file)
    tensors.sort { $0.name < $1.name }
    return SafetensorsHeader(tensors: tensors, metadata: metadata, dataOffset: 8 + length)
  }

  private static func parseMetadata(_ node: JSONNode, file: String) throws -> [String: String] {
    if node.isNull { return [:] }
    guard let members = node.objectValue else {
      throw ModelError.malformed(file, "__metadata__ must be an object of strings")
    }
    var metadata: [String: String] = [:]
    for member in members {
      guard let value = member.value.stringValue else {
        throw ModelError.malformed(file, "__metadata__ key '\(member.key)' is not a string")
      }
      guard metadata.updateValue(value, forKey: member.key) == nil else {
        throw ModelError.malformed(file, "__metadata__ key '\(member.key)' is listed twice")
      }
    }
    return metadata
  }

  private static func parseTensor(
    _ name: String, _ node: JSONNode, dataLength: Int, file: String
  ) throws -> SafetensorsTensorInfo {
    func bad(_ detail: String) -> ModelError {
      ModelError.malformed(file, "tensor '\(name)' \(detail)")
    }
    guard node.objectValue != nil else { throw bad("is not an object") }
    guard let dtypeName = node["dtype"]?.stringValue else { throw bad("has no string 'dtype'") }
    guard let dtype = WeightDType(rawValue: dtypeName) else {
      if WeightDType.safetensorsNames.contains(dtypeName) {
        throw ModelError(
          .unsupported,
          "\(file): tensor '\(name)' has dtype \(dtypeName); vouch reads F32, BF16 and F16 only")
      }
      throw bad("has unknown dtype '\(dtypeName.prefix(40))'")
    }
    guard let shapeNodes = node["shape"]?.arrayValue else { throw bad("has no 'shape' array") }
    var shape: [Int] = []
    var elements = 1
    var overflow = false
    for dimensionNode in shapeNodes {
      guard let dimension = dimensionNode.intValue, dimension >= 0 else {
        throw bad("has an invalid shape: dimensions must be non-negative integers")
      }
      shape.append(dimension)
      let (product, didOverflow) = elements.multipliedReportingOverflow(by: dimension)
      elements = product
      overflow = overflow || didOverflow
    }
    let (byteCount, byteOverflow) = elements.multipliedReportingOverflow(by: dtype.byteWidth)
    guard !overflow, !byteOverflow else {
      throw bad("has shape \(shape) whose size overflows")
    }
    guard let offsets = node["data_offsets"]?.arrayValue, offsets.count == 2,
      let begin = offsets[0].intValue, let end = offsets[1].intValue, begin >= 0, end >= begin
    else {
      throw bad("has invalid data_offsets: expected [begin, end] with 0 ≤ begin ≤ end")
    }
    guard end <= dataLength else {
      throw bad(
        "has data_offsets [\(begin), \(end)] outside the data section (\(dataLength) bytes)")
    }
    guard end - begin == byteCount else {
      throw bad(
        "has \(end - begin) bytes at [\(begin), \(end)] but shape \(shape) × \(dtypeName) "
          + "needs \(byteCount)")
    }
    return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, dataRange: begin..<end)
  }

  /// Checks that the byte ranges tile `0..<dataLength` with no overlap and no gap.
  private static func checkTiling(
    _ tensors: [SafetensorsTensorInfo], dataLength: Int, file: String
  ) throws {
    let ordered = tensors.sorted {
      ($0.dataRange.lowerBound, $0.dataRange.upperBound) < (
        $1.dataRange.lowerBound, $1.dataRange.upperBound
      )
    }
    var covered = 0
    var previous: SafetensorsTensorInfo?
    for tensor in ordered {
      if tensor.dataRange.lowerBound < covered, let previous {
        throw ModelError.malformed(
          file,
          "tensors '\(previous.name)' \(describe(previous.dataRange)) and '\(tensor.name)' "
            + "\(describe(tensor.dataRange)) overlap")
      }
      if tensor.dataRange.lowerBound > covered {
        throw ModelError.malformed(
          file,
          "data bytes [\(covered), \(tensor.dataRange.lowerBound)) belong to no tensor "
            + "(before '\(tensor.name)')")
      }
      covered = tensor.dataRange.upperBound
      if !tensor.dataRange.isEmpty { previous = tensor }
    }
    if covered != dataLength {
      throw ModelError.malformed(
        file,
        "data section has \(dataLength) bytes but its tensors cover \(covered); "
          + "the file is truncated or has trailing bytes")
    }
  }

  private static func describe(_ range: Range<Int>) -> String {
    "[\(range.lowerBound), \(range.upperBound)]"
  }
}
