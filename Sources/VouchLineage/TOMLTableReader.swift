/// Strict, typed access to one TOML table: unknown keys and wrong types are errors that name
/// the file, the line and the key path.
struct TOMLTableReader {
  let document: TOMLDocument
  /// Key path of this table from the document root.
  let path: [String]
  let members: [String: TOMLNode]

  /// The document's top-level table.
  init(document: TOMLDocument) {
    self.init(document: document, path: [], members: document.root)
  }

  init(document: TOMLDocument, path: [String], members: [String: TOMLNode]) {
    self.document = document
    self.path = path
    self.members = members
  }

  /// `file:line: key 'a.b'` for `key` in this table (or the table itself when `nil`).
  func location(_ key: String? = nil) -> String {
    document.location(key.map { path + [$0] } ?? path)
  }

  /// An error at `key` (or this table).
  func error(_ key: String?, _ problem: String) -> LineageError {
    LineageError.invalidDocument(location(key), problem)
  }

  /// Throws on the first key (in sorted order) that is not in `allowed`, suggesting the nearest
  /// allowed key.
  func rejectUnknownKeys(_ allowed: [String]) throws {
    for key in members.keys.sorted() where !allowed.contains(key) {
      let nearest = allowed.min { editDistance($0, key) < editDistance($1, key) }
      var hint = "allowed keys here: \(allowed.joined(separator: ", "))"
      if let nearest, editDistance(nearest, key) <= max(2, key.count / 3) {
        hint = "did you mean '\(nearest)'? (\(hint))"
      }
      throw error(key, "unknown key; \(hint)")
    }
  }

  func string(_ key: String) throws -> String? {
    guard let node = members[key] else { return nil }
    guard case .string(let text) = node else { throw wrongType(key, node, "a string") }
    return text
  }

  func requiredString(_ key: String) throws -> String {
    guard let text = try string(key) else { throw missing(key, "a string") }
    return text
  }

  func integer(_ key: String) throws -> Int64? {
    guard let node = members[key] else { return nil }
    guard case .integer(let number) = node else { throw wrongType(key, node, "an integer") }
    return number
  }

  /// A float; integers are accepted and converted exactly.
  func float(_ key: String) throws -> Double? {
    guard let node = members[key] else { return nil }
    switch node {
    case .float(let number): return number
    case .integer(let number): return Double(number)
    default: throw wrongType(key, node, "a number")
    }
  }

  func table(_ key: String) throws -> TOMLTableReader? {
    guard let node = members[key] else { return nil }
    guard case .table(let inner) = node else { throw wrongType(key, node, "a table") }
    return TOMLTableReader(document: document, path: path + [key], members: inner)
  }

  /// An array of strings (absent → empty).
  func strings(_ key: String) throws -> [String] {
    guard let node = members[key] else { return [] }
    guard case .array(let items) = node else { throw wrongType(key, node, "an array of strings") }
    return try items.enumerated().map { index, item in
      guard case .string(let text) = item else {
        throw LineageError.invalidDocument(
          document.location(path + [key, "[\(index)]"]),
          "expected a string, found \(item.typeName)")
      }
      return text
    }
  }

  /// An array of tables (absent → empty), each with its indexed key path.
  func tables(_ key: String) throws -> [TOMLTableReader] {
    guard let node = members[key] else { return [] }
    guard case .array(let items) = node else { throw wrongType(key, node, "an array of tables") }
    return try items.enumerated().map { index, item in
      let itemPath = path + [key, "[\(index)]"]
      guard case .table(let inner) = item else {
        throw LineageError.invalidDocument(
          document.location(itemPath), "expected a table, found \(item.typeName)")
      }
      return TOMLTableReader(document: document, path: itemPath, members: inner)
    }
  }

  func wrongType(_ key: String, _ node: TOMLNode, _ expected: String) -> LineageError {
    error(key, "expected \(expected), found \(node.typeName)")
  }

  func missing(_ key: String, _ expected: String) -> LineageError {
    LineageError.invalidDocument(
      location(),
      "missing key '\(key)' (\(expected)); add it to \(path.isEmpty ? "the file" : "this table")")
  }

  private func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    guard !a.isEmpty else { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var row = [i] + Array(repeating: 0, count: b.count)
      for j in stride(from: 1, through: b.count, by: 1) {
        row[j] = min(
          previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = row
    }
    return previous[b.count]
  }
}
