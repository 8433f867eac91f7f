import Foundation
import GRDB
import VouchCore

extension Store {
  /// Re-hashes every object and recipe and cross-checks the index.
  ///
  /// Each recipe is decoded and validated, each of its chunks read and re-hashed (from its own
  /// object, or from inside the adopted whole object that holds it), and the reassembled file
  /// hashed against the recipe's name; an adopted file (`add --link`) is read once, checking its
  /// chunks and its whole digest together; every other object is re-hashed against its name;
  /// every index row must name a file on disk or a chunk inside an adopted object. Takes the store lock shared, so adds
  /// may continue meanwhile. Problems are reported, not thrown.
  /// - Parameter progress: called with the number of bytes hashed so far.
  /// - Returns: counts, every problem found and the content each one breaks.
  /// - Throws: `StoreError` only when the store itself cannot be read (permissions, locks).
  public func check(progress: (@Sendable (Int64) -> Void)? = nil) throws -> CheckReport {
    try removeStaleTemporaryFiles()
    return try lock.withLock(.shared, for: "check the store") {
      var report = CheckReport()
      var checkedChunks = Set<Digest>()
      let packed = try PackedChunks.scanned(self)
      let buffer = UnsafeMutableRawPointer.allocate(
        byteCount: Int(Recipe.maximumChunkSize), alignment: 4096)
      defer { buffer.deallocate() }
      for digest in try listNames(in: "recipes") {
        checkRecipe(
          digest, packed: packed, buffer: buffer, report: &report, chunks: &checkedChunks)
        progress?(report.bytesChecked)
      }
      let objects = try listNames(in: "objects")
      for digest in objects where !checkedChunks.contains(digest) {
        checkObject(digest, report: &report)
        progress?(report.bytesChecked)
      }
      checkIndex(objects: Set(objects), packed: packed, report: &report)
      report.problems.sort {
        ($0.item.rawValue, $0.digest, $0.issue.rawValue) < (
          $1.item.rawValue, $1.digest, $1.issue.rawValue
        )
      }
      return report
    }
  }

  /// An error's message as `vouch check` shows it: without the advice to run `vouch check`,
  /// which read errors carry for the commands that meet them first.
  static func detailInCheck(_ error: any Error) -> String {
    let message = (error as? StoreError)?.message ?? "\(error)"
    return
      message
      .replacingOccurrences(of: "run `vouch check` to see what it breaks, then ", with: "")
      .replacingOccurrences(of: "run `vouch check` and ", with: "")
  }

  /// The digests named by the files under `objects/sha256` or `recipes/sha256`, sorted; files
  /// whose names are not digests are ignored.
  func listNames(in area: String) throws -> [Digest] {
    let top = "\(root)/\(area)/sha256"
    var out = [Digest]()
    for fanout in try Sys.listDirectory(top) ?? [] where fanout.utf8.count == 2 {
      for name in try Sys.listDirectory(top + "/" + fanout) ?? [] {
        if name.hasPrefix(fanout), let digest = try? Digest(parsing: name),
          digest.hex == name
        {
          out.append(digest)
        }
      }
    }
    return out.sorted()
  }

  private func checkRecipe(
    _ digest: Digest, packed: PackedChunks, buffer: UnsafeMutableRawPointer,
    report: inout CheckReport, chunks: inout Set<Digest>
  ) {
    report.recipesChecked += 1
    let recipe: Recipe
    do {
      recipe = try self.recipe(digest).recipe
    } catch {
      let message = Self.detailInCheck(error)
      report.problems.append(
        .init(
          item: .recipe, digest: digest,
          issue: message.contains("truncated") ? .truncated : .corrupt,
          detail: message, affects: [digest]))
      return
    }
    if packed.containers.contains(digest) {
      checkAdopted(recipe, buffer: buffer, report: &report)
      chunks.insert(digest)
      return
    }
    var whole = StreamingHash()
    var intact = true
    for chunk in recipe.chunks {
      // Chunks shared by several recipes are re-read for each (their bytes go into each file's
      // hash) but counted once: the count is of distinct objects, the bytes of work done.
      if chunks.insert(chunk.digest).inserted { report.objectsChecked += 1 }
      guard chunk.size <= Int(Recipe.maximumChunkSize) else {
        intact = false
        continue
      }
      do {
        let bytes = try readChunk(chunk, into: buffer, of: digest, packed: packed)
        whole.update(bytes)
        report.bytesChecked += chunk.size
      } catch {
        intact = false
        let message = Self.detailInCheck(error)
        let issue: CheckReport.Problem.Issue =
          message.contains("missing")
          ? .missing
          : message.contains("truncated") ? .truncated : .corrupt
        report.problems.append(
          .init(
            item: .chunk, digest: chunk.digest, issue: issue, detail: message, affects: [digest]))
      }
    }
    if intact, whole.finalize() != digest {
      report.problems.append(
        .init(
          item: .recipe, digest: digest, issue: .corrupt,
          detail: "recipe \(digest.short) reassembles to different bytes; re-add the file",
          affects: [digest]))
    }
  }

  private func checkObject(_ digest: Digest, report: inout CheckReport) {
    report.objectsChecked += 1
    do {
      try stream(.whole(digest: digest, path: objectPath(digest))) {
        report.bytesChecked += Int64($0.count)
      }
    } catch {
      report.problems.append(
        .init(
          item: .object, digest: digest, issue: .corrupt, detail: Self.detailInCheck(error),
          affects: [digest]))
    }
  }

  private func checkIndex(
    objects: Set<Digest>, packed: PackedChunks, report: inout CheckReport
  ) {
    do {
      let (objectRows, recipeRows) = try index.get().read { db in
        (
          try Row.fetchAll(db, sql: "SELECT digest, size FROM object"),
          try String.fetchAll(db, sql: "SELECT digest FROM recipe")
        )
      }
      var indexed = Set<Digest>()
      // Items found damaged above were moved to quarantine/: their rows are not news.
      let reported = Set(report.problems.filter { $0.issue != .missing }.map(\.digest))
      for row in objectRows {
        guard let digest = try? Digest(parsing: row["digest"] as String) else { continue }
        indexed.insert(digest)
        if reported.contains(digest) { continue }
        let size: Int64 = row["size"]
        let onDisk = (try? Sys.status(atPath: objectPath(digest))) ?? nil
        if onDisk == nil && packed.all[digest] == nil {
          report.problems.append(
            .init(
              item: .indexRow, digest: digest, issue: .missing,
              detail: "the index names object \(digest.short), which is not on disk",
              affects: [digest]))
        } else if let onDisk, onDisk.size < size {
          report.problems.append(
            .init(
              item: .object, digest: digest, issue: .truncated,
              detail: "object \(digest.short) has \(onDisk.size) of \(size) bytes",
              affects: [digest]))
        }
      }
      for hex in recipeRows {
        guard let digest = try? Digest(parsing: hex) else { continue }
        if (try? Sys.status(atPath: recipePath(digest))) == nil {
          report.problems.append(
            .init(
              item: .indexRow, digest: digest, issue: .missing,
              detail: "the index names recipe \(digest.short), which is not on disk",
              affects: [digest]))
        }
      }
      report.unindexedObjects = objects.subtracting(indexed).count
    } catch {
      report.indexError = (error as? StoreError)?.message ?? "\(error)"
    }
  }
}
