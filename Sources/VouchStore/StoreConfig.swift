import Foundation
import VouchCore

/// The parameters of content-defined chunking, recorded in `.vouch/config`.
///
/// They only affect how bytes are split (and so how much is shared), never a file's digest.
public struct ChunkingParameters: Codable, Sendable, Hashable {
  /// No content-defined cut is made before this many bytes of a chunk.
  public var minimumSize: Int
  /// The target mean chunk size (a power of two).
  public var averageSize: Int
  /// A chunk never exceeds this size.
  public var maximumSize: Int
  /// Files strictly larger than this are chunked; smaller ones are stored whole.
  public var threshold: Int

  /// 16 KiB minimum, 32 KiB target (about 38 KiB mean), 128 KiB maximum, for files above
  /// 1 MiB. Measured: a copy of a file with 1% of its 4 KiB blocks rewritten stores about 12.7%
  /// new bytes with these sizes, against 20.1% with a 64 KiB target (a random block lands in a
  /// large chunk more often than in a small one, so the changed share is about
  /// `blocks changed × mean chunk size × 1.3`).
  public static let standard = ChunkingParameters(
    minimumSize: 16 << 10, averageSize: 32 << 10, maximumSize: 128 << 10, threshold: 1 << 20)

  /// Creates a parameter set; `averageSize` must be a power of two.
  public init(minimumSize: Int, averageSize: Int, maximumSize: Int, threshold: Int) {
    self.minimumSize = minimumSize
    self.averageSize = averageSize
    self.maximumSize = maximumSize
    self.threshold = threshold
  }

  /// Throws unless `0 < minimum < average ≤ maximum`, the average is a power of two and the
  /// threshold is at least the maximum.
  func validate() throws {
    let ok =
      minimumSize > 0 && minimumSize < averageSize && averageSize <= maximumSize
      && averageSize.nonzeroBitCount == 1 && threshold >= maximumSize && averageSize >= 256
    if !ok {
      throw StoreError.failure(
        "the chunking parameters in .vouch/config are invalid (\(self)); restore the file"
          + " from a backup or recreate the store")
    }
  }
}

/// `.vouch/config`: the layout version and the chunking parameters, as canonical pretty JSON,
/// plus optional user settings (`"add": {"link": true}` makes `vouch add --link` the default).
struct StoreConfig: Codable, Sendable {
  /// Settings of `vouch add`.
  struct AddSettings: Codable, Sendable {
    /// Adopt large files by hard link instead of copying them (absent: copy).
    var link: Bool?
  }

  /// The layout version this store was written with.
  var layoutVersion: Int
  /// The algorithm name, so a future chunker cannot be confused with this one.
  var chunker: String
  /// Chunk sizes.
  var chunking: ChunkingParameters
  /// Settings of `vouch add` (absent in stores that never set any).
  var add: AddSettings?

  static let chunkerName = "fastcdc-gear64-v1"

  /// Reads `url`, refusing a layout version other than `Store.layoutVersion` before anything else.
  static func load(_ url: URL) throws -> StoreConfig {
    let bytes: Data
    do { bytes = try Data(contentsOf: url) } catch {
      throw StoreError.noWorkspace(
        "\(url.path) is missing or unreadable; run `vouch init` to create a store")
    }
    guard let json = try? JSONDecoder().decode(JSONValue.self, from: bytes),
      case .integer(let version)? = json["layoutVersion"]
    else {
      throw StoreError.failure(
        "\(url.path) is not a valid store config (no integer layoutVersion); restore it from a"
          + " backup or recreate the store with `vouch init`")
    }
    guard version == Int64(Store.layoutVersion) else {
      throw StoreError.failure(
        "\(url.path) has layout version \(version), but this vouch knows only layout version"
          + " \(Store.layoutVersion); use a vouch release that supports version \(version)")
    }
    let config: StoreConfig
    do { config = try JSONDecoder().decode(StoreConfig.self, from: bytes) } catch {
      throw StoreError.failure(
        "\(url.path) is not a valid layout-\(version) config (\(error)); restore it from a backup")
    }
    guard config.chunker == chunkerName else {
      throw StoreError.failure(
        "\(url.path) names chunker '\(config.chunker)', but this vouch knows only"
          + " '\(chunkerName)'; use the vouch release that created the store")
    }
    try config.chunking.validate()
    return config
  }
}
