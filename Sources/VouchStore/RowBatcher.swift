import GRDB

/// Inserts rows many per statement (`VALUES (…), (…), …`): a 1 GiB file has 27,000 chunks, and
/// one statement per row spent most of the index time in per-statement overhead.
struct RowBatcher {
  /// Rows per full statement (3 columns × 128 rows stays under SQLite's variable limit).
  static let batchSize = 128

  private let db: Database
  private let prefix: String
  private let columns: Int
  private var pending: [DatabaseValueConvertible] = []

  /// A batcher for `prefix` (`INSERT … VALUES`) with `columns` values per row.
  init(_ db: Database, _ prefix: String, columns: Int) {
    self.db = db
    self.prefix = prefix
    self.columns = columns
    pending.reserveCapacity(Self.batchSize * columns)
  }

  /// Queues one row, inserting a full batch when there is one.
  mutating func add(_ row: [DatabaseValueConvertible]) throws {
    pending.append(contentsOf: row)
    if pending.count == Self.batchSize * columns { try flush() }
  }

  /// Inserts the queued rows.
  mutating func flush() throws {
    if pending.isEmpty { return }
    let rows = pending.count / columns
    let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
    let sql = prefix + " " + Array(repeating: tuple, count: rows).joined(separator: ", ")
    let statement =
      rows == Self.batchSize ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
    try statement.execute(arguments: StatementArguments(pending))
    pending.removeAll(keepingCapacity: true)
  }
}
