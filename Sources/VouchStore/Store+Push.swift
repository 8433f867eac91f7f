import Foundation
import VouchCore

extension Store {
  /// Sends to `remote` every object the contents in `contents` need and the remote lacks
  /// (whole objects, or recipes with their chunks), and heals the objects it already holds
  /// that are damaged.
  ///
  /// Each object is read from this store and re-hashed before it is written; the remote writes it
  /// atomically (a killed push leaves no partial object). Chunks go before recipes, so the remote
  /// never holds a recipe without its chunks. Objects travel in batches of up to 64 MiB that the
  /// remote may flush together. A damaged local object is reported, not sent, and neither is the
  /// recipe that needs it.
  ///
  /// Objects the remote already holds are checked as `verification` says (sizes always, then a
  /// bounded sample or everything, see `RemoteVerification`); one found damaged is replaced with
  /// this store's verified bytes (`Remote.replace(_:as:)`) and reported as healed. Holds the
  /// remote shared (so `remote gc` neither removes this push's temporary files nor deletes
  /// what it counted as present) and the store lock shared.
  /// - Parameters:
  ///   - contents: content digests (files, directory listings, documents) to send.
  ///   - remote: where to send them.
  ///   - verification: which objects already on the remote to re-read (default: a random sample).
  ///   - progress: called with (bytes read or sent, bytes to read or send).
  /// - Returns: what was sent, healed or already there, what this store lacks and what is damaged.
  /// - Throws: `StoreError` when the remote cannot be read or written (I/O, permissions), or
  ///   (locked) when a `remote gc` holds it past the lock timeout.
  public func push(
    _ contents: Set<Digest>, to remote: any Remote,
    verifying verification: RemoteVerification = .randomSample(),
    progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) throws -> TransferReport {
    try remote.withAccess(.shared, for: "push to \(remote.location)") {
      try lock.withLock(.shared, for: "push to \(remote.location)") {
        var report = TransferReport()
        let (plan, recipes) = try pushPlan(contents, report: &report)
        var work = PushWork(items: plan.ordered)
        try work.survey(remote, verification: verification)
        var done: Int64 = 0
        var total = work.bytesToMove
        for item in work.items where work.toVerify.contains(item.object) {
          if let problem = try remoteDamage(item, on: remote, recipes: recipes, verification) {
            work.damaged[item.object] = problem
            total += item.size
          } else {
            report.verified += 1
            report.verifiedBytes += ByteCount(item.size)
          }
          done += item.size
          progress?(done, total)
        }
        for item in work.items where work.isPresentAndIntact(item.object) {
          report.present += 1
          report.presentBytes += ByteCount(item.size)
        }
        try send(work, to: remote, report: &report) { bytes in
          done += bytes
          progress?(done, total)
        }
        return report
      }
    }
  }

  /// The objects and recipes `contents` need, in push order, with the local recipes by content
  /// digest; damaged local recipes and absent contents go to `report`.
  private func pushPlan(
    _ contents: Set<Digest>, report: inout TransferReport
  ) throws -> (TransferPlan, [Digest: Recipe]) {
    var plan = TransferPlan()
    var recipes: [Digest: Recipe] = [:]
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
          recipes[digest] = recipe
        } catch let error as StoreError where error.category == .integrity {
          report.corrupt.append(
            .init(object: .recipe(digest), detail: error.message, affects: [digest]))
        }
      } else {
        report.missing.append(digest)
      }
    }
    return (plan, recipes)
  }

  /// Writes what the remote lacks (in batches) and replaces what it holds damaged, in plan
  /// order: every chunk is durable on the remote before the first recipe is written or healed.
  private func send(
    _ work: PushWork, to remote: any Remote, report: inout TransferReport,
    progress: (Int64) -> Void
  ) throws {
    var broken = Set<Digest>()
    var batch: [(object: RemoteObject, bytes: Data)] = []
    var batchBytes = 0
    let packed = PackedChunks.indexed(self)
    func flush() throws {
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
    for item in work.items {
      let damage = work.damaged[item.object]
      guard damage != nil || work.missing.contains(item.object) else { continue }
      defer { progress(item.size) }
      if item.object.kind == .recipe {
        // Recipes share batches with each other, never with chunks; a healed one goes alone.
        if batch.last?.object.kind == .object || damage != nil { try flush() }
        if broken.contains(item.object.digest) { continue }
      }
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
      if let damage {
        try remote.replace(bytes, as: item.object)
        report.healed.append(.init(object: item.object, detail: damage, affects: item.contents))
        report.healedBytes += ByteCount(Int64(bytes.count))
        continue
      }
      batch.append((item.object, bytes))
      batchBytes += bytes.count
      if batchBytes >= Self.pushBatchBytes || batch.count >= 4096 { try flush() }
    }
    try flush()
  }

  /// Objects are sent in batches of about this many bytes, made durable together.
  static let pushBatchBytes = 64 << 20

  /// The stored bytes of `item`, unverified: its own file or, for a chunk of a file added with
  /// `--link`, its range inside that file's adopted whole object (read by `readChunk`).
  /// - Throws: `StoreError` (integrity) when it is not in this store.
  func readLocal(_ item: TransferPlan.Item, packed: PackedChunks) throws -> Data {
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
