import Foundation
import VouchCore

extension Store {
  /// Sends to `remote` every object the contents in `contents` need and the remote lacks:
  /// whole objects, or recipes with their chunks.
  ///
  /// Each object is read from this store and re-hashed before it is written; the remote writes it
  /// atomically (a killed push leaves no partial object) and never replaces one it has. Chunks go
  /// before recipes, so the remote never holds a recipe without its chunks. Objects travel in
  /// batches of up to 64 MiB that the remote may flush together. A damaged local
  /// object is reported, not sent, and neither is the recipe that needs it. Holds the remote
  /// shared (so `remote gc` neither removes this push's temporary files nor deletes what it
  /// counted as present) and the store lock shared.
  /// - Parameters:
  ///   - contents: content digests (files, directory listings, documents) to send.
  ///   - remote: where to send them.
  ///   - progress: called with (bytes sent, bytes to send).
  /// - Returns: what was sent or already there, what this store lacks and what is damaged.
  /// - Throws: `StoreError` when the remote cannot be read or written (I/O, permissions), or
  ///   (locked) when a `remote gc` holds it past the lock timeout.
  public func push(
    _ contents: Set<Digest>, to remote: any Remote,
    progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) throws -> TransferReport {
    try remote.withAccess(.shared, for: "push to \(remote.location)") {
      try lock.withLock(.shared, for: "push to \(remote.location)") {
        var report = TransferReport()
        var plan = TransferPlan()
        for digest in contents.sorted() {
          if let status = try Sys.status(atPath: objectPath(digest)) {
            plan.add(.object(digest), size: status.size, for: digest)
          } else if try Sys.status(atPath: recipePath(digest)) != nil {
            do {
              let (recipe, size) = try self.recipe(digest)
              for chunk in recipe.chunks {
                plan.add(.object(chunk.digest), size: chunk.size, for: digest)
              }
              plan.add(.recipe(digest), size: size, for: digest)
            } catch let error as StoreError where error.category == .integrity {
              report.corrupt.append(
                .init(object: .recipe(digest), detail: error.message, affects: [digest]))
            }
          } else {
            report.missing.append(digest)
          }
        }
        var pending: [TransferPlan.Item] = []
        for item in plan.ordered {
          if let size = try remote.size(of: item.object) {
            report.present += 1
            report.presentBytes += ByteCount(size)
          } else {
            pending.append(item)
          }
        }
        let total = pending.reduce(0) { $0 + $1.size }
        var done: Int64 = 0
        var broken = Set<Digest>()
        var batch: [(object: RemoteObject, bytes: Data)] = []
        var batchBytes = 0
        let packed = PackedChunks.indexed(self)
        func send() throws {
          guard !batch.isEmpty else { return }
          for (item, written) in zip(batch, try remote.write(batch: batch)) {
            if written {
              report.transferred += 1
              report.bytes += ByteCount(Int64(item.bytes.count))
            } else {
              report.present += 1
              report.presentBytes += ByteCount(Int64(item.bytes.count))
            }
          }
          batch = []
          batchBytes = 0
        }
        for item in pending {
          defer {
            done += item.size
            progress?(done, total)
          }
          // Every chunk is durable on the remote before the first recipe is written.
          if item.object.kind == .recipe, batch.last?.object.kind == .object { try send() }
          if item.object.kind == .recipe, broken.contains(item.object.digest) { continue }
          let bytes: Data
          do {
            bytes = try readLocal(item, packed: packed)
            try item.object.verify(bytes)
          } catch let error as StoreError where error.category == .integrity {
            report.corrupt.append(
              .init(object: item.object, detail: error.message, affects: item.contents))
            broken.formUnion(item.contents)
            continue
          }
          batch.append((item.object, bytes))
          batchBytes += bytes.count
          if batchBytes >= Self.pushBatchBytes || batch.count >= 4096 { try send() }
        }
        try send()
        return report
      }
    }
  }

  /// Objects are sent in batches of about this many bytes, made durable together.
  static let pushBatchBytes = 64 << 20

  /// The stored bytes of `item`, unverified: its own file or, for a chunk of a file added with
  /// `--link`, its range inside that file's adopted whole object (read by `readChunk`).
  /// - Throws: `StoreError` (integrity) when it is not in this store.
  private func readLocal(_ item: TransferPlan.Item, packed: PackedChunks) throws -> Data {
    let object = item.object
    let path = object.kind == .object ? objectPath(object.digest) : recipePath(object.digest)
    if let bytes = try Sys.readWholeFile(path) { return Data(bytes) }
    guard object.kind == .object else {
      throw StoreError.integrity(
        "\(object) vanished from the store during the push; run `vouch check`")
    }
    var bytes = Data(count: Int(item.size))
    try bytes.withUnsafeMutableBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      _ = try readChunk(
        Recipe.Chunk(digest: object.digest, size: item.size), into: base,
        of: item.contents.first ?? object.digest, packed: packed)
    }
    return bytes
  }
}
