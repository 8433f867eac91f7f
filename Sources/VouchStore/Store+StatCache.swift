import Foundation
import GRDB
import VouchCore

/// One row of the stat cache.
public struct StatCacheEntry: Sendable, Hashable {
  /// The stat the digest was computed for.
  public var stat: FileStat
  /// The content digest of the file when it had that stat.
  public var digest: Digest

  /// Creates an entry.
  public init(stat: FileStat, digest: Digest) {
    self.stat = stat
    self.digest = digest
  }
}

extension Store {
  /// The digest the stat cache remembers for `path` if its stat still matches, else `nil`.
  public func cachedDigest(forPath path: String, stat: FileStat) throws -> Digest? {
    let entry = try index.get().read { db in
      try Row.fetchOne(
        db, sql: "SELECT size, mtimeNanoseconds, inode, digest FROM statCache WHERE path = ?",
        arguments: [path])
    }
    guard let entry, let found = Self.entry(entry), found.stat == stat else { return nil }
    return found.digest
  }

  /// Every stat cache entry by path, in one query (for `status` over many files).
  public func statCacheEntries() throws -> [String: StatCacheEntry] {
    try index.get().read { db in
      var out = [String: StatCacheEntry]()
      out.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM statCache") ?? 0)
      let rows = try Row.fetchCursor(
        db, sql: "SELECT path, size, mtimeNanoseconds, inode, digest FROM statCache")
      while let row = try rows.next() {
        if let entry = Self.entry(row) { out[row["path"]] = entry }
      }
      return out
    }
  }

  /// Remembers that `path` with `stat` has content `digest`.
  public func recordStat(path: String, stat: FileStat, digest: Digest) throws {
    try recordStats([(path, StatCacheEntry(stat: stat, digest: digest))])
  }

  /// Remembers many entries in one transaction.
  public func recordStats(_ entries: [(path: String, entry: StatCacheEntry)]) throws {
    if entries.isEmpty { return }
    try index.get().write { db in
      let statement = try db.cachedStatement(
        sql: """
          INSERT OR REPLACE INTO statCache (path, size, mtimeNanoseconds, inode, digest)
          VALUES (?, ?, ?, ?, ?)
          """)
      for (path, entry) in entries {
        try statement.execute(arguments: [
          path, entry.stat.size, entry.stat.mtimeNanoseconds, Int64(bitPattern: entry.stat.inode),
          entry.digest.hex,
        ])
      }
    }
  }

  /// Forgets the entries for `paths` (files removed from the workspace).
  public func forgetStats(forPaths paths: [String]) throws {
    if paths.isEmpty { return }
    try index.get().write { db in
      let statement = try db.cachedStatement(sql: "DELETE FROM statCache WHERE path = ?")
      for path in paths { try statement.execute(arguments: [path]) }
    }
  }

  private static func entry(_ row: Row) -> StatCacheEntry? {
    guard let digest = try? Digest(parsing: row["digest"] as String) else { return nil }
    let inode: Int64 = row["inode"]
    return StatCacheEntry(
      stat: FileStat(
        size: row["size"], mtimeNanoseconds: row["mtimeNanoseconds"],
        inode: UInt64(bitPattern: inode)),
      digest: digest)
  }
}
