import Foundation
import GRDB
import VouchCore

/// Finds chunks that have no standalone object but live inside an adopted whole object.
///
/// `vouch add --link` stores a large file as its whole object (a hard link to the workspace
/// file) plus its recipe, without writing the chunks. A chunk is then *available* when its
/// standalone object exists or when it lies inside a present whole object whose recipe lists it,
/// at the sum of the sizes of the chunks before it. Two ways to find such containers:
///
/// - `indexed`: ask the index, one query per chunk that is not a standalone file, and only when
///   the store holds any adopted object at all (so stores without any pay nothing). Used by
///   ingest and reads, where a row missing from the index only costs a duplicate chunk or a
///   message to run `vouch check --repair-index`.
/// - `scanned`: decode every recipe that has a whole object, from the files alone. Used by
///   `check`, `repair` and `gc`, which must not trust the index.
///
/// One instance serves one operation; a lock makes it safe to share between its threads.
final class PackedChunks: @unchecked Sendable {
  /// Where a packed chunk's bytes are.
  struct Location: Equatable {
    /// The whole object holding it.
    var container: Digest
    /// Offset of its first byte in the container.
    var offset: Int64
    /// Its length.
    var size: Int64
  }

  private let store: Store
  private let lock = NSLock()
  private var index: StoreIndex?
  /// Whether the index was asked (once) if any adopted object exists.
  private var probed = false
  /// Chunk → location, for every container decoded so far.
  private var known: [Digest: Location] = [:]
  /// Containers whose recipes have been decoded.
  private var decoded: Set<Digest> = []

  private init(store: Store, index: StoreIndex?) {
    self.store = store
    self.index = index
  }

  /// A locator that asks the store's index (treating an unreadable index as "no containers").
  static func indexed(_ store: Store) -> PackedChunks {
    PackedChunks(store: store, index: try? store.index.get())
  }

  /// A locator built from the files alone: every recipe whose whole object is present.
  /// Damaged recipes are skipped (`check` reports them).
  static func scanned(_ store: Store) throws -> PackedChunks {
    let packed = PackedChunks(store: store, index: nil)
    packed.probed = true
    for digest in try store.listNames(in: "recipes") {
      if try Sys.status(atPath: store.objectPath(digest)) != nil {
        packed.decode(container: digest)
      }
    }
    return packed
  }

  /// Every packed chunk found by a `scanned` locator, with its location.
  var all: [Digest: Location] {
    lock.withLock { known }
  }

  /// The containers (adopted whole objects) a `scanned` locator found.
  var containers: Set<Digest> {
    lock.withLock { decoded }
  }

  /// Where `chunk` can be read from inside a present whole object, or `nil`.
  func location(of chunk: Digest) -> Location? {
    lock.withLock {
      if let found = known[chunk] { return found }
      guard let index else { return nil }
      if !probed {
        probed = true
        let any = try? index.read { db in
          try Bool.fetchOne(
            db,
            sql: """
              SELECT EXISTS (SELECT 1 FROM recipe r JOIN object o ON o.digest = r.digest)
              """) ?? false
        }
        if any != true { self.index = nil }
      }
      guard let index = self.index else { return nil }
      let hexes =
        (try? index.read { db in
          try String.fetchAll(
            db,
            sql: """
              SELECT rc.recipe FROM recipeChunk rc JOIN object o ON o.digest = rc.recipe
              WHERE rc.chunk = ? LIMIT 4
              """, arguments: [chunk.hex])
        }) ?? []
      for hex in hexes {
        guard let container = try? Digest(parsing: hex), !decoded.contains(container) else {
          continue
        }
        if (try? Sys.status(atPath: store.objectPath(container))) ?? nil != nil {
          decodeLocked(container: container)
        }
      }
      return known[chunk]
    }
  }

  private func decode(container: Digest) {
    lock.withLock { decodeLocked(container: container) }
  }

  private func decodeLocked(container: Digest) {
    decoded.insert(container)
    guard let recipe = try? store.recipe(container).recipe else { return }
    var offset: Int64 = 0
    for chunk in recipe.chunks {
      if known[chunk.digest] == nil {
        known[chunk.digest] = Location(container: container, offset: offset, size: chunk.size)
      }
      offset += chunk.size
    }
  }
}
