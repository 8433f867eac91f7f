import Foundation
import VouchTestSupport

@testable import VouchModels

/// Builds raw safetensors bytes from a header JSON text and a data section, for malformed cases.
func safetensorsBytes(header: String, data: [UInt8], length: UInt64? = nil) -> [UInt8] {
  let json = Array(header.utf8)
  var bytes = [UInt8]()
  withUnsafeBytes(of: (length ?? UInt64(json.count)).littleEndian) { bytes.append(contentsOf: $0) }
  bytes.append(contentsOf: json)
  bytes.append(contentsOf: data)
  return bytes
}

/// Parses `bytes` as a whole safetensors file named `test.safetensors`.
func parseHeader(_ bytes: [UInt8]) throws -> SafetensorsHeader {
  try bytes.withUnsafeBytes { try SafetensorsHeader.parse($0, file: "test.safetensors") }
}

/// The message of the `ModelError` `body` throws, or `nil` when it does not throw one.
func modelErrorMessage(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch let error as ModelError {
    return error.message
  } catch {
    return "unexpected error type: \(error)"
  }
}
