import Foundation

/// The JSON files the adapter stages write: keys sorted and snake-cased, a final newline, so
/// equal values give equal bytes.
enum AdapterStageJSON {
  /// Writes `value` to `url`.
  static func write<Value: Encodable>(_ value: Value, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    try (encoder.encode(value) + Data("\n".utf8)).write(to: url)
  }
}
