import Foundation
import VouchCore

extension Remote {
  /// Removes the leftovers of killed pushes and, when `keeping` is given, every object and
  /// recipe not needed by those content digests.
  ///
  /// A kept digest keeps its whole object, or its recipe and every chunk the recipe lists.
  /// Recipes are deleted before objects, so the remote never holds a recipe without its chunks.
  /// Holds the remote exclusively, waiting for running pushes and checks to finish (and making
  /// new ones wait), so no push counts an object as present that is then deleted.
  /// - Parameters:
  ///   - keeping: content digests to keep; `nil` removes only leftovers.
  ///   - dryRun: report what would be removed without removing anything.
  /// - Returns: what was (or would be) removed and kept, with sizes.
  /// - Throws: `StoreError` (integrity) when a kept recipe is damaged (its chunks are then
  ///   unknown, so nothing is deleted), (locked) on a lock timeout, other categories when the
  ///   remote cannot be listed or written.
  public func garbageCollect(keeping: Set<Digest>?, dryRun: Bool) throws -> RemoteGCReport {
    try withAccess(.exclusive, for: "collect garbage on the remote \(location)") {
      var report = RemoteGCReport(dryRun: dryRun)
      report.leftovers = try removeLeftovers(dryRun: dryRun)
      guard let keeping else { return report }
      report.unreferenced = true
      let listing = try list()
      var kept = Set<RemoteObject>()
      for digest in keeping.sorted() {
        var found = false
        if listing[.object(digest)] != nil {
          kept.insert(.object(digest))
          found = true
        }
        if listing[.recipe(digest)] != nil {
          let recipe: Recipe
          do { recipe = try Recipe.decode(read(.recipe(digest)), name: digest) } catch let error
            as StoreError where error.category == .integrity
          {
            throw StoreError.integrity(
              "remote gc stopped without deleting anything: \(error.problem)"
                + " on the remote, so the chunks it needs are unknown; heal it with"
                + " `vouch push --verify-remote` from a clone that has the file, then retry")
          }
          kept.insert(.recipe(digest))
          for chunk in recipe.chunks { kept.insert(.object(chunk.digest)) }
          found = true
        }
        if !found { report.absent.append(digest) }
      }
      let names = listing.keys.sorted {
        ($0.kind == .recipe ? 0 : 1, $0.digest) < ($1.kind == .recipe ? 0 : 1, $1.digest)
      }
      for name in names {
        let size = listing[name] ?? 0
        if kept.contains(name) {
          if name.kind == .recipe { report.keptRecipes += 1 } else { report.keptObjects += 1 }
          report.keptBytes += ByteCount(size)
        } else {
          report.deleted.append(
            .init(
              digest: name.digest, kind: name.kind == .recipe ? .recipe : .object,
              size: ByteCount(size)))
          report.deletedBytes += ByteCount(size)
        }
      }
      if dryRun { return report }
      for item in report.deleted {
        try delete(
          RemoteObject(kind: item.kind == .recipe ? .recipe : .object, digest: item.digest))
      }
      return report
    }
  }
}
