import GRDB
import VouchCore

/// Index rows collected during an ingest, inserted in one transaction after publishing.
struct IndexRows {
  /// Whole objects (and, from `repairIndex`, chunks): digest and size.
  var objects: [(Digest, Int64)] = []
  /// Recipes with their encoded sizes; their chunks' object rows are inserted with them.
  var recipes: [(Recipe, Int64)] = []

  /// Adds a recipe and its chunks.
  mutating func add(_ recipe: Recipe, encodedSize: Int64) {
    recipes.append((recipe, encodedSize))
  }

  /// Inserts everything, ignoring rows that exist (another process may have added them). A
  /// recipe already indexed is skipped whole: its chunk rows exist too (they are inserted in
  /// the same transaction and foreign keys keep them), so re-adding stored content costs one
  /// lookup instead of two rows per chunk.
  func insert(into index: StoreIndex) throws {
    if objects.isEmpty && recipes.isEmpty { return }
    try index.write { db in
      var objectRows = RowBatcher(
        db, "INSERT OR IGNORE INTO object (digest, size) VALUES", columns: 2)
      for (digest, size) in objects { try objectRows.add([digest.hex, size]) }
      let known = try db.cachedStatement(
        sql: "SELECT EXISTS (SELECT 1 FROM recipe WHERE digest = ?)")
      let recipeRow = try db.cachedStatement(
        sql: """
          INSERT OR IGNORE INTO recipe (digest, size, chunkCount, recipeSize) VALUES (?, ?, ?, ?)
          """)
      var chunkRows = RowBatcher(
        db, "INSERT OR IGNORE INTO recipeChunk (recipe, position, chunk) VALUES", columns: 3)
      for (recipe, encodedSize) in recipes {
        let hex = recipe.digest.hex
        if try Bool.fetchOne(known, arguments: [hex]) == true { continue }
        var hexes = [String]()
        hexes.reserveCapacity(recipe.chunks.count)
        for chunk in recipe.chunks {
          let chunkHex = chunk.digest.hex
          hexes.append(chunkHex)
          try objectRows.add([chunkHex, chunk.size])
        }
        // Chunk rows reference object rows and the recipe row: flush those first.
        try objectRows.flush()
        try recipeRow.execute(arguments: [hex, recipe.size, recipe.chunks.count, encodedSize])
        for (position, chunkHex) in hexes.enumerated() {
          try chunkRows.add([hex, position, chunkHex])
        }
        try chunkRows.flush()
      }
      try objectRows.flush()
    }
  }
}
