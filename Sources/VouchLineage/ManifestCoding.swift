import Foundation
import VouchCore

/// Decoding of vouch's JSON documents with messages that name the file and the key.
///
/// These documents are machine-written, so one that cannot be decoded was damaged or forged:
/// the errors are integrity failures (exit 12), except an unknown schema version (upgrade vouch).
enum ManifestCoding {
  /// Decodes `T` from `data`, first checking `schemaVersion` against `supported`.
  /// - Throws: `LineageError` (integrity) naming `file`, the key path and what is wrong.
  static func decode<T: Decodable>(
    _ type: T.Type, from data: Data, file: String, document: String, supported: Int,
    alsoReads older: Set<Int> = []
  ) throws -> T {
    let json: JSONValue
    do {
      json = try JSONDecoder().decode(JSONValue.self, from: data)
    } catch {
      throw LineageError.damagedDocument(file, "is not valid JSON; restore it with `git checkout`")
    }
    guard case .integer(let version)? = json["schemaVersion"] else {
      throw LineageError.damagedDocument(
        "\(file): key 'schemaVersion'", "missing or not an integer; restore the file from git")
    }
    if !older.contains(Int(version)) {
      try LineageSchema.check(
        Int(version), supported: supported, document: document,
        location: "\(file): key 'schemaVersion'")
    }
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
      throw describe(error, file: file)
    }
  }

  /// One line for a `DecodingError`, naming the key path.
  static func describe(_ error: DecodingError, file: String) -> LineageError {
    func key(_ path: [CodingKey]) -> String {
      path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        .replacingOccurrences(of: ".[", with: "[")
    }
    switch error {
    case .dataCorrupted(let context):
      return LineageError.damagedDocument(
        "\(file): key '\(key(context.codingPath))'", context.debugDescription)
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
      return LineageError.damagedDocument(
        "\(file): key '\(key(context.codingPath))'", "expected \(type); restore the file from git")
    case .keyNotFound(let missing, let context):
      return LineageError.damagedDocument(
        "\(file): key '\(key(context.codingPath + [missing]))'",
        "missing; restore the file from git")
    @unknown default:
      return LineageError.damagedDocument(file, "\(error)")
    }
  }
}
