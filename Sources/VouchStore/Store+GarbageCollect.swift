import Foundation
import GRDB
import VouchCore

extension Store {
  /// Deletes every object and recipe not needed by the content digests in `keeping`.
  ///
  /// A kept digest keeps its whole object, or its recipe and every chunk the recipe lists.
  /// A deleted adopted object (`add --link`) that still holds chunks a kept recipe needs has
  /// those chunks extracted first, as standalone objects (atomic puts, re-hashed as they are
  /// read). Damaged files moved to `quarantine/` are removed as well. Takes the store lock exclusively (waiting for running adds and checkouts to finish). Index
  /// rows are removed before the files, so no row ever names a deleted file; leftovers in
  /// `tmp/` are removed too.
  /// - Parameters:
  ///   - keeping: content digests to keep (whole files, recipes, documents from `ingest(data:)`).
  ///   - dryRun: report what would be deleted without deleting anything.
  /// - Returns: what was (or would be) deleted and kept, with sizes.
  /// - Throws: `StoreError` (integrity) when a kept recipe is damaged (its chunks are then
  ///   unknown, so nothing is deleted), (locked) on lock timeout.
  public func garbageCollect(keeping: Set<Digest>, dryRun: Bool) throws -> GCReport {
    try lock.withLock(.exclusive, for: "collect garbage") {
      var report = GCReport(dryRun: dryRun)
      var keptObjects = Set<Digest>()
      var keptRecipes = Set<Digest>()
      var recipes: [Digest: Recipe] = [:]
      for digest in keeping.sorted() {
        var found = false
        if try Sys.status(atPath: objectPath(digest)) != nil {
          keptObjects.insert(digest)
          found = true
        }
        if try Sys.status(atPath: recipePath(digest)) != nil {
          let recipe: Recipe
          do { recipe = try self.recipe(digest).recipe } catch let error as StoreError {
            throw StoreError.integrity(
              "gc stopped without deleting anything: \(error.message)")
          }
          keptRecipes.insert(digest)
          recipes[digest] = recipe
          for chunk in recipe.chunks { keptObjects.insert(chunk.digest) }
          found = true
        }
        if !found { report.absent.append(digest) }
      }
      for digest in try listNames(in: "recipes") {
        let size = try Sys.status(atPath: recipePath(digest))?.size ?? 0
        if keptRecipes.contains(digest) {
          report.keptRecipes += 1
          report.keptBytes += ByteCount(size)
        } else {
          report.deleted.append(.init(digest: digest, kind: .recipe, size: ByteCount(size)))
        }
      }
      for digest in try listNames(in: "objects") {
        let size = try Sys.status(atPath: objectPath(digest))?.size ?? 0
        if keptObjects.contains(digest) {
          report.keptObjects += 1
          report.keptBytes += ByteCount(size)
        } else {
          report.deleted.append(.init(digest: digest, kind: .object, size: ByteCount(size)))
        }
      }
      report.deletedBytes = report.deleted.reduce(ByteCount(0)) { $0 + $1.size }
      let rescue = try chunksToExtract(
        keptRecipes: recipes.values.sorted { $0.digest < $1.digest }, keptObjects: keptObjects)
      report.extractedChunks = rescue.count
      report.extractedBytes = ByteCount(rescue.reduce(0) { $0 + $1.chunk.size })
      let quarantined = try Sys.listDirectory(quarantineDirectory) ?? []
      for name in quarantined {
        report.quarantinedFiles += 1
        report.quarantinedBytes += ByteCount(
          try Sys.statusNoFollow(atPath: quarantineDirectory + "/" + name)?.size ?? 0)
      }
      if dryRun { return report }
      for name in quarantined { Sys.unlink(quarantineDirectory + "/" + name) }
      try extract(rescue)
      try forgetRows(keepingObjects: keptObjects, recipes: keptRecipes)
      for item in report.deleted where item.kind == .recipe { Sys.unlink(recipePath(item.digest)) }
      for item in report.deleted where item.kind == .object { Sys.unlink(objectPath(item.digest)) }
      for name in try Sys.listDirectory(temporaryDirectory) ?? [] {
        Sys.unlink(temporaryDirectory + "/" + name)
      }
      return report
    }
  }

  /// Deletes the index rows of everything not kept, in one transaction (recipes first: their
  /// chunk rows reference objects).
  private func forgetRows(keepingObjects objects: Set<Digest>, recipes: Set<Digest>) throws {
    try index.get().write { db in
      let recipeRows = try String.fetchAll(db, sql: "SELECT digest FROM recipe")
      let deleteRecipe = try db.cachedStatement(sql: "DELETE FROM recipe WHERE digest = ?")
      let keptRecipes = Set(recipes.map(\.hex))
      for hex in recipeRows where !keptRecipes.contains(hex) {
        try deleteRecipe.execute(arguments: [hex])
      }
      let keptHex = Set(objects.map(\.hex))
      let objectRows = try String.fetchAll(db, sql: "SELECT digest FROM object")
      let deleteObject = try db.cachedStatement(sql: "DELETE FROM object WHERE digest = ?")
      for hex in objectRows where !keptHex.contains(hex) {
        try deleteObject.execute(arguments: [hex])
      }
    }
  }
}
