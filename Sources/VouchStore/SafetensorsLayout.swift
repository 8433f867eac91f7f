import Foundation

/// Where a `.safetensors` file's tensors start and end, for chunk boundaries.
///
/// The format (huggingface/safetensors): an 8-byte little-endian header length `N`, `N` bytes of
/// JSON mapping tensor names to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets
/// relative to the byte after the header) plus an optional `__metadata__` object, then the data.
/// Cutting after the header and at every tensor boundary makes a tensor shared by two
/// checkpoints (a frozen base layer, an unchanged embedding) map to the same chunks even when
/// the headers or other tensors differ.
enum SafetensorsLayout {
  /// Headers above this size are treated as not-safetensors (the reference loader caps at 100 MB).
  static let maximumHeader: UInt64 = 100_000_000

  /// The absolute cut offsets for the file open as `fd` of `size` bytes, or `[]` when the file is
  /// not a valid safetensors file (it is then chunked by content alone).
  static func cutPoints(fd: Int32, size: Int64, path: String) -> [Int64] {
    guard size >= 8 else { return [] }
    var lengthBytes = [UInt8](repeating: 0, count: 8)
    let got = lengthBytes.withUnsafeMutableBytes { buffer -> Int? in
      guard let base = buffer.baseAddress else { return nil }
      return try? Sys.preadFully(fd, base, count: 8, offset: 0, path: path)
    }
    guard got == 8 else { return [] }
    var headerLength: UInt64 = 0
    for (index, byte) in lengthBytes.enumerated() { headerLength |= UInt64(byte) << (8 * index) }
    guard headerLength > 0, headerLength <= maximumHeader, 8 + headerLength <= UInt64(size)
    else { return [] }
    var header = Data(count: Int(headerLength))
    let read = header.withUnsafeMutableBytes { buffer -> Int? in
      guard let base = buffer.baseAddress else { return nil }
      return try? Sys.preadFully(fd, base, count: Int(headerLength), offset: 8, path: path)
    }
    guard read == Int(headerLength) else { return [] }
    return cutPoints(header: header, fileSize: size)
  }

  /// The cut offsets for a file of `fileSize` bytes whose JSON header is `header`.
  static func cutPoints(header: Data, fileSize: Int64) -> [Int64] {
    guard
      let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any]
    else { return [] }
    let dataStart = 8 + Int64(header.count)
    var cuts: [Int64] = [dataStart]
    for (name, entry) in object where name != "__metadata__" {
      guard let tensor = entry as? [String: Any],
        let offsets = tensor["data_offsets"] as? [NSNumber], offsets.count == 2
      else { return [] }
      let begin = offsets[0].int64Value
      let end = offsets[1].int64Value
      guard begin >= 0, begin <= end, dataStart + end <= fileSize else { return [] }
      cuts.append(dataStart + begin)
      cuts.append(dataStart + end)
    }
    return cuts.filter { $0 > 0 && $0 < fileSize }
  }
}
