import Foundation
import GRDB
import VouchCore

/// What `Store.repairIndex()` rebuilt.
public struct IndexRepairReport: Sendable, Hashable, Codable {
  /// Objects (whole files and chunks) indexed.
  public var objects = 0
  /// Recipes indexed.
  public var recipes = 0
  /// Recipes left out because they are damaged or name chunks that are not on disk (run
  /// `check` for details).
  public var skippedRecipes: [Digest] = []
}

extension Store {
  /// Rebuilds `index.sqlite` from `objects/` and `recipes/`, even when the old file is garbage.
  ///
  /// The old index (and its WAL) is deleted and a fresh one built; the stat cache starts empty,
  /// so the next `status` re-hashes once. Objects are indexed by name and size without being
  /// re-hashed (`check` does that); chunks inside adopted whole objects (`add --link`) are
  /// indexed as available, as ingest left them. Takes the store lock exclusively.
  public func repairIndex() throws -> IndexRepairReport {
    try lock.withLock(.exclusive, for: "repair the index") {
      let path = index.path
      let fresh = try index.replace {
        for suffix in ["", "-wal", "-shm"] { Sys.unlink(path + suffix) }
      }
      var report = IndexRepairReport()
      var rows = IndexRows()
      var present = Set<Digest>()
      for digest in try listNames(in: "objects") {
        guard let status = try Sys.status(atPath: objectPath(digest)) else { continue }
        rows.objects.append((digest, status.size))
        present.insert(digest)
      }
      for (digest, location) in try PackedChunks.scanned(self).all.sorted(by: { $0.key < $1.key })
      where !present.contains(digest) {
        rows.objects.append((digest, location.size))
        present.insert(digest)
      }
      for digest in try listNames(in: "recipes") {
        guard let (recipe, size) = try? self.recipe(digest),
          recipe.chunks.allSatisfy({ present.contains($0.digest) })
        else {
          report.skippedRecipes.append(digest)
          continue
        }
        rows.recipes.append((recipe, size))
      }
      report.objects = rows.objects.count
      report.recipes = rows.recipes.count
      try rows.insert(into: fresh)
      return report
    }
  }
}
