import Foundation
import VouchCore

/// How a chunked file is rebuilt: its whole-file digest and size and the ordered list of chunk
/// digests and lengths. Stored as canonical JSON under `recipes/sha256/ab/<file hex>`.
///
/// The document carries its own `checksum` (SHA-256 of the canonical JSON without that member),
/// so a flipped byte in a recipe is reported as a corrupt recipe, not as a missing chunk.
struct Recipe: Codable, Sendable, Equatable {
  /// One chunk: its digest and length in bytes.
  struct Chunk: Codable, Sendable, Equatable {
    /// SHA-256 of the chunk's bytes (the name of its object).
    var digest: Digest
    /// Length in bytes.
    var size: Int64
  }

  /// The schema version this build writes and reads.
  static let currentSchemaVersion = 1
  /// No chunk may be larger (readers size their buffers from the recipe; the chunker never
  /// makes chunks above its maximum, 128 KiB by default).
  static let maximumChunkSize: Int64 = 16 << 20

  /// The document kind marker.
  static let kindName = "vouch.recipe"

  /// Always `currentSchemaVersion` once decoded.
  var schemaVersion: Int = Recipe.currentSchemaVersion
  /// Always `vouch.recipe`.
  var kind: String = Recipe.kindName
  /// SHA-256 of the whole file.
  var digest: Digest
  /// Size of the whole file.
  var size: Int64
  /// The chunks in file order.
  var chunks: [Chunk]

  /// The canonical bytes: sorted keys, no whitespace, with the checksum member. Written by hand
  /// (not through `CanonicalJSON`) because recipes of 4 GiB files list 65,536 chunks; the tests
  /// check it byte for byte against `CanonicalJSON`.
  func encoded() -> Data {
    var chunkList = [UInt8]()
    chunkList.reserveCapacity(chunks.count * 96)
    chunkList.append(contentsOf: #""chunks":["#.utf8)
    for (index, chunk) in chunks.enumerated() {
      if index > 0 { chunkList.append(UInt8(ascii: ",")) }
      chunkList.append(contentsOf: #"{"digest":"\#(chunk.digest)","size":\#(chunk.size)}"#.utf8)
    }
    chunkList.append(contentsOf: #"],"#.utf8)
    let rest = Array(
      #""digest":"\#(digest)","kind":"\#(kind)","schemaVersion":\#(schemaVersion),"size":\#(size)}"#
        .utf8)
    // "checksum" sorts before "chunks", so it comes first; it covers the document without it.
    let checksum = Digest.of([UInt8(ascii: "{")] + chunkList + rest)
    return Data(Array(#"{"checksum":"\#(checksum)","#.utf8) + chunkList + rest)
  }

  /// Decodes and validates recipe bytes read from the file named `name`.
  /// - Throws: `StoreError` (integrity) when the bytes are truncated, malformed, not canonical,
  ///   fail their checksum, or describe a different file than `name`.
  /// Whether `bytes` are a well-formed recipe of a schema version this build does not read
  /// (written by a newer vouch: not damage).
  static func hasUnknownVersion(_ bytes: Data) -> Bool {
    struct Version: Decodable { var schemaVersion: Int }
    guard let version = try? JSONDecoder().decode(Version.self, from: bytes) else { return false }
    return version.schemaVersion != currentSchemaVersion
  }

  static func decode(_ bytes: Data, name: Digest) throws -> Recipe {
    let recipe: Recipe
    do { recipe = try JSONDecoder().decode(Recipe.self, from: bytes) } catch {
      let truncated = bytes.last != UInt8(ascii: "}")
      throw StoreError.integrity(
        "recipe \(name.short) is \(truncated ? "truncated" : "malformed");"
          + " run `vouch check` to see what it breaks, then re-add the file")
    }
    guard recipe.schemaVersion == currentSchemaVersion, recipe.kind == kindName else {
      throw StoreError.integrity(
        "recipe \(name.short) has schema version \(recipe.schemaVersion), but this vouch reads"
          + " only version \(currentSchemaVersion); use a matching vouch release")
    }
    guard recipe.encoded() == bytes else {
      throw StoreError.integrity(
        "recipe \(name.short) is corrupt (its bytes fail their checksum);"
          + " run `vouch check` to see what it breaks, then re-add the file")
    }
    guard recipe.digest == name,
      recipe.chunks.reduce(0, { $0 + $1.size }) == recipe.size,
      recipe.chunks.allSatisfy({ $0.size > 0 && $0.size <= maximumChunkSize })
    else {
      throw StoreError.integrity(
        "recipe \(name.short) is corrupt (it describes another file);"
          + " run `vouch check` to see what it breaks, then re-add the file")
    }
    return recipe
  }

  private enum CodingKeys: String, CodingKey {
    case schemaVersion, kind, digest, size, chunks
  }
}
