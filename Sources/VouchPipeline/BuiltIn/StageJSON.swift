import Foundation

/// The JSON files built-in stages write: keys sorted and snake-cased, a final newline, so equal
/// values give equal bytes (recorded digests depend on it).
enum StageJSON {
  /// Writes `value` to `url`, creating its folder.
  /// - Parameters:
  ///   - value: what to encode.
  ///   - url: the file to write.
  ///   - pretty: indented (the default), or on one line (`training.json` of `organism-train`,
  ///     whose recorded digests predate this choice).
  /// - Throws: encoding errors, or the file system's when the folder or file cannot be written.
  static func write<Value: Encodable>(_ value: Value, to url: URL, pretty: Bool = true) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try (encoder.encode(value) + Data("\n".utf8)).write(to: url)
  }
}
