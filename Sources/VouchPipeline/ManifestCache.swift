import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// A binary copy of the decoded artifact manifests in `.vouch/manifests.cache`, keyed by each
/// manifest file's stat (size, mtime in ns, inode), so `status` and `ls` over a folder of 20,000
/// files do not re-parse megabytes of JSON on every run — git's index does the same for trees.
///
/// It is only a cache: an entry is used when the manifest file's stat is unchanged, anything
/// unreadable is ignored and rebuilt from the JSON, and it is replaced by atomic rename.
struct ManifestCache {
  private static let magic = Array("VMC2".utf8)
  /// Cached manifests by manifest file path (relative to `manifests/artifacts/`).
  private(set) var entries: [String: (stat: FileStat, manifest: ArtifactManifest)] = [:]
  /// Whether ``entries`` differs from the file.
  private(set) var isDirty = false
  let url: URL

  /// Loads the cache at `url`; a missing or damaged file gives an empty cache.
  init(url: URL) {
    self.url = url
    guard let data = try? Data(contentsOf: url) else { return }
    var reader = Reader(bytes: [UInt8](data))
    guard reader.take(4).map(Array.init) == Self.magic, let count = reader.int() else { return }
    var loaded: [String: (stat: FileStat, manifest: ArtifactManifest)] = [:]
    loaded.reserveCapacity(Int(count))
    for _ in 0..<count {
      guard let key = reader.string(), let stat = reader.stat(), let manifest = reader.manifest()
      else { return }
      loaded[key] = (stat, manifest)
    }
    entries = loaded
  }

  /// The cached manifest for `key` if the file's stat is unchanged.
  func manifest(forKey key: String, stat: FileStat) -> ArtifactManifest? {
    guard let entry = entries[key], entry.stat == stat else { return nil }
    return entry.manifest
  }

  /// Remembers `manifest` for `key` at `stat`.
  mutating func store(_ manifest: ArtifactManifest, forKey key: String, stat: FileStat) {
    entries[key] = (stat, manifest)
    isDirty = true
  }

  /// Forgets every key not in `keys`.
  mutating func retain(only keys: Set<String>) {
    for key in entries.keys where !keys.contains(key) {
      entries[key] = nil
      isDirty = true
    }
  }

  /// Writes the cache if it changed (temporary file, then rename); failures are ignored, since
  /// the next run simply parses the JSON again.
  func save() {
    guard isDirty else { return }
    var out = Self.magic
    append(Int64(entries.count), to: &out)
    for (key, entry) in entries {
      append(key, to: &out)
      append(entry.stat.size, to: &out)
      append(entry.stat.mtimeNanoseconds, to: &out)
      append(Int64(bitPattern: entry.stat.inode), to: &out)
      append(entry.manifest, to: &out)
    }
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    do {
      try Data(out).write(to: temporary)
      if rename(temporary.path, url.path) != 0 {
        try? FileManager.default.removeItem(at: temporary)
      }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
    }
  }

  private func append(_ manifest: ArtifactManifest, to out: inout [UInt8]) {
    append(manifest.path, to: &out)
    append(manifest.kind.rawValue, to: &out)
    out += manifest.digest.hex.utf8
    append(manifest.size.value, to: &out)
    out.append(manifest.executable.map { $0 ? 1 : 0 } ?? 2)
    guard let files = manifest.files else {
      append(Int64(-1), to: &out)
      return
    }
    append(Int64(files.count), to: &out)
    for file in files {
      append(file.path, to: &out)
      out += file.digest.hex.utf8
      append(file.size.value, to: &out)
      out.append(file.executable ? 1 : 0)
    }
  }

  private func append(_ value: Int64, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { out += $0 }
  }

  private func append(_ text: String, to out: inout [UInt8]) {
    append(Int64(text.utf8.count), to: &out)
    out += text.utf8
  }

  /// Sequential reads that return `nil` past the end.
  private struct Reader {
    let bytes: [UInt8]
    var offset = 0

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
      guard count >= 0, offset + count <= bytes.count else { return nil }
      defer { offset += count }
      return bytes[offset..<offset + count]
    }

    mutating func int() -> Int64? {
      guard let slice = take(8) else { return nil }
      return slice.reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }

    mutating func string() -> String? {
      guard let count = int(), let slice = take(Int(count)) else { return nil }
      return String(decoding: slice, as: UTF8.self)
    }

    mutating func digest() -> Digest? {
      // Hex rather than raw bytes: `Digest(parsing:)` is concrete code in VouchCore, while
      // `Digest(bytes:)` is generic and runs unspecialised across the module boundary.
      guard let slice = take(64) else { return nil }
      return try? Digest(parsing: String(decoding: slice, as: UTF8.self))
    }

    mutating func stat() -> FileStat? {
      guard let size = int(), let mtime = int(), let inode = int() else { return nil }
      return FileStat(size: size, mtimeNanoseconds: mtime, inode: UInt64(bitPattern: inode))
    }

    mutating func manifest() -> ArtifactManifest? {
      guard let path = string(), let kindName = string(),
        let kind = ArtifactKind(rawValue: kindName),
        let content = digest(), let size = int(), let flag = take(1)?.first, let count = int()
      else { return nil }
      var files: [ArtifactFile]?
      if count >= 0 {
        var list: [ArtifactFile] = []
        list.reserveCapacity(Int(count))
        for _ in 0..<count {
          guard let filePath = string(), let fileDigest = digest(), let fileSize = int(),
            let executable = take(1)?.first
          else { return nil }
          list.append(
            ArtifactFile(
              path: filePath, digest: fileDigest, size: ByteCount(fileSize),
              executable: executable == 1))
        }
        files = list
      }
      return ArtifactManifest(
        path: path, kind: kind, digest: content, size: ByteCount(size), files: files,
        executable: flag == 2 ? nil : flag == 1)
    }
  }
}
