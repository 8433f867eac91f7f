import Foundation
import VouchCore

extension Store {
  /// Brings into this store every object the contents in `contents` need from `remote`: whole
  /// objects, or recipes with the chunks this store lacks.
  ///
  /// Every byte is re-hashed before it is staged, and staged objects are published by the
  /// store's atomic-put protocol (chunks before recipes) and indexed only afterwards, so nothing
  /// corrupt or partial ever enters the store. A recipe is published only once its chunks,
  /// read back from this store, reassemble to the content its name says: a remote cannot make
  /// this store believe that other bytes have that digest. A damaged remote object is reported with the
  /// contents it breaks; everything else is still fetched. Takes the store lock shared.
  /// - Parameters:
  ///   - contents: content digests (files, directory listings, documents) to fetch.
  ///   - remote: where to fetch them from.
  ///   - progress: called with (bytes received, bytes to receive).
  /// - Returns: what was received or already here, what the remote lacks and what is damaged.
  /// - Throws: `StoreError` when the remote cannot be read (I/O, permissions) or the store
  ///   cannot be written; nothing is then published.
  public func fetch(
    _ contents: Set<Digest>, from remote: any Remote,
    progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) throws -> TransferReport {
    try lock.withLock(.shared, for: "fetch from \(remote.location)") {
      let index = try self.index.get()
      var report = TransferReport()
      var plan = TransferPlan()
      var recipes: [Digest: (recipe: Recipe, bytes: Data)] = [:]
      for digest in contents.sorted() {
        if let info = try? info(digest) {
          report.present += 1
          report.presentBytes += info.size
        } else if let size = try remote.size(of: .object(digest)) {
          plan.add(.object(digest), size: size, for: digest)
        } else if try remote.size(of: .recipe(digest)) != nil {
          do {
            let bytes = try remote.read(.recipe(digest))
            let recipe = try Recipe.decode(bytes, name: digest)
            recipes[digest] = (recipe, bytes)
            for chunk in recipe.chunks {
              if let local = try Sys.status(atPath: objectPath(chunk.digest)),
                local.size == chunk.size
              {
                continue
              }
              plan.add(.object(chunk.digest), size: chunk.size, for: digest)
            }
            plan.add(.recipe(digest), size: Int64(bytes.count), for: digest)
          } catch let error as StoreError where error.category == .integrity {
            report.corrupt.append(
              .init(object: .recipe(digest), detail: remoteDetail(error, remote), affects: [digest])
            )
          }
        } else {
          report.missing.append(digest)
        }
      }
      let items = plan.ordered
      let total = items.reduce(0) { $0 + $1.size }
      var done: Int64 = 0
      let staged = StagedObjects(store: self, flush: .filesystem)
      defer { staged.discard() }
      var rows = IndexRows()
      var broken = Set<Digest>()
      var arrivedRecipes: [Digest] = []
      for item in items {
        defer {
          done += item.size
          progress?(done, total)
        }
        let digest = item.object.digest
        switch item.object.kind {
        case .object:
          do {
            let bytes = try remote.read(item.object)
            try item.object.verify(bytes)
            try bytes.withUnsafeBytes { try staged.stageObject($0, digest: digest) }
            rows.objects.append((digest, Int64(bytes.count)))
            report.transferred += 1
            report.bytes += ByteCount(Int64(bytes.count))
          } catch let error as StoreError where error.category == .integrity {
            report.corrupt.append(
              .init(
                object: item.object, detail: remoteDetail(error, remote),
                affects: item.contents))
            broken.formUnion(item.contents)
          }
        case .recipe:
          if !broken.contains(digest) { arrivedRecipes.append(digest) }
        }
      }
      try staged.publish()
      // The chunks are in place: check each recipe against its name before it becomes visible.
      let verified = StagedObjects(store: self, flush: .filesystem)
      defer { verified.discard() }
      for digest in arrivedRecipes {
        guard let (recipe, bytes) = recipes[digest] else { continue }
        do {
          try ChunkedReader(store: self, recipe: recipe).stream(progress: nil) { _ in }
        } catch let error as StoreError where error.category == .integrity {
          report.corrupt.append(
            .init(
              object: .recipe(digest),
              detail: "recipe \(digest.short) on the remote \(remote.location) does not"
                + " reassemble to the content it names (\(Self.withoutRemedy(error.message)));"
                + " fetch it from another remote or re-add the file there", affects: [digest]))
          continue
        }
        try verified.stageRecipe(bytes, digest: digest)
        rows.add(recipe, encodedSize: Int64(bytes.count))
        report.transferred += 1
        report.bytes += ByteCount(Int64(bytes.count))
      }
      try verified.publish()
      try rows.insert(into: index)
      return report
    }
  }

  /// What a store error says happened, without the remedy after its first `; ` (for quoting
  /// inside a message that gives its own).
  private static func withoutRemedy(_ message: String) -> String {
    guard let cut = message.range(of: "; ") else { return message }
    return String(message[..<cut.lowerBound])
  }

  /// A remote object's integrity message, pointed at the remote rather than at this store.
  private func remoteDetail(_ error: StoreError, _ remote: any Remote) -> String {
    let message = error.message
    guard let cut = message.range(of: "; run `vouch check`") else { return message }
    return String(message[..<cut.lowerBound])
      + " on the remote \(remote.location); push it again from a store that has it intact"
  }
}
