import Foundation
import VouchCore

extension Remote {
  /// Re-hashes every object and recipe on the remote, as `Store.check` does for a store.
  ///
  /// Each recipe is decoded (checksum, name, sizes), each chunk it lists must be on the remote
  /// and is re-hashed against its name, and the chunks, in order, must rebuild bytes that hash
  /// to the recipe's name; every other object is re-hashed against its name. Problems are
  /// reported with the content they break, not thrown. Holds the remote shared, so a
  /// `remote gc` cannot delete objects meanwhile.
  /// - Parameter progress: called with (bytes hashed, bytes on the remote).
  /// - Returns: counts and every problem found.
  /// - Throws: `StoreError` only when the remote cannot be read (I/O, permissions, a lock
  ///   timeout).
  public func check(progress: (@Sendable (Int64, Int64) -> Void)? = nil) throws
    -> RemoteCheckReport
  {
    try withAccess(.shared, for: "check the remote \(location)") {
      var check = RemoteChecker(remote: self, listing: try list())
      try check.run(progress: progress)
      return check.report
    }
  }
}

/// The walk behind `Remote.check(progress:)`.
private struct RemoteChecker {
  let remote: any Remote
  let listing: [RemoteObject: Int64]
  var report = RemoteCheckReport()
  /// Objects already read once: whether each hashed to its name.
  private var judged: [Digest: Bool] = [:]
  private var problems: [RemoteObject: CheckReport.Problem] = [:]
  private var done: Int64 = 0

  init(remote: any Remote, listing: [RemoteObject: Int64]) {
    self.remote = remote
    self.listing = listing
  }

  mutating func run(progress: (@Sendable (Int64, Int64) -> Void)?) throws {
    let total = listing.values.reduce(0, +)
    let names = listing.keys.sorted {
      ($0.kind.rawValue, $0.digest) < ($1.kind.rawValue, $1.digest)
    }
    for object in names where object.kind == .recipe {
      try checkRecipe(object.digest)
      progress?(done, total)
    }
    for object in names where object.kind == .object && judged[object.digest] == nil {
      _ = try readObject(object.digest, expectedSize: nil, for: object.digest)
      progress?(done, total)
    }
    report.problems = problems.values.sorted {
      ($0.item.rawValue, $0.digest) < ($1.item.rawValue, $1.digest)
    }
  }

  private mutating func checkRecipe(_ digest: Digest) throws {
    report.recipesChecked += 1
    let name = RemoteObject.recipe(digest)
    done += listing[name] ?? 0
    let recipe: Recipe
    do {
      let bytes = try remote.read(name)
      report.bytesChecked += ByteCount(Int64(bytes.count))
      recipe = try Recipe.decode(bytes, name: digest)
    } catch let error as StoreError where error.category == .integrity {
      let detail = error.problem
      add(
        .recipe, digest, detail.contains("truncated") ? .truncated : .corrupt,
        "\(detail) on the remote", breaks: digest)
      return
    }
    var whole = StreamingHash()
    var intact = true
    for chunk in recipe.chunks {
      guard let bytes = try readObject(chunk.digest, expectedSize: chunk.size, for: digest) else {
        intact = false
        continue
      }
      bytes.withUnsafeBytes { whole.update($0) }
    }
    let actual = whole.finalize()
    if intact, actual != digest {
      add(
        .recipe, digest, .corrupt,
        "recipe \(digest.short) on the remote rebuilds other bytes (they hash to \(actual.short))",
        breaks: digest)
    }
  }

  /// Reads and re-hashes object `digest` (a chunk of `content`, or `content` itself); returns
  /// its bytes when intact, `nil` after recording the problem.
  private mutating func readObject(
    _ digest: Digest, expectedSize: Int64?, for content: Digest
  ) throws -> Data? {
    let name = RemoteObject.object(digest)
    let item: CheckReport.Problem.Item = expectedSize == nil ? .object : .chunk
    if judged[digest] == false {
      add(item, digest, .missing, "", breaks: content)
      return nil
    }
    let bytes: Data
    do {
      guard listing[name] != nil else { throw StoreError.integrity("not listed") }
      bytes = try remote.read(name)
    } catch let error as StoreError where error.category == .integrity {
      judged[digest] = false
      add(
        item, digest, .missing, "\(item.rawValue) \(digest.short) is not on the remote",
        breaks: content)
      return nil
    }
    if judged[digest] == nil {
      report.objectsChecked += 1
      report.bytesChecked += ByteCount(Int64(bytes.count))
      done += listing[name] ?? 0
    }
    let actual = bytes.withUnsafeBytes { StreamingHash.digest(of: $0) }
    judged[digest] = actual == digest
    guard actual == digest else {
      let short = expectedSize.map { Int64(bytes.count) < $0 } ?? false
      add(
        item, digest, short ? .truncated : .corrupt,
        "\(item.rawValue) \(digest.short) on the remote is "
          + (short
            ? "truncated (\(bytes.count) bytes)" : "corrupt (its bytes hash to \(actual.short))"),
        breaks: content)
      return nil
    }
    return bytes
  }

  private mutating func add(
    _ item: CheckReport.Problem.Item, _ digest: Digest, _ issue: CheckReport.Problem.Issue,
    _ detail: String, breaks content: Digest
  ) {
    let name = RemoteObject(kind: item == .recipe ? .recipe : .object, digest: digest)
    if let known = problems[name] {
      if !known.affects.contains(content) { problems[name]?.affects.append(content) }
    } else {
      problems[name] = .init(
        item: item, digest: digest, issue: issue, detail: detail, affects: [content])
    }
  }
}
