import Foundation
import VouchCore

extension Store {
  /// What is wrong with the remote's copy of `item` (one clause, without a remedy), or `nil`
  /// when it is intact: an object must have this store's size and hash to its name; a recipe
  /// must decode (checksum, name, sizes) and describe a file of the local size. A recipe that
  /// differs from this store's (other chunk sizes) must list chunks the remote holds with
  /// their sizes, and under `everything` must rebuild, from the remote's chunks, bytes that
  /// hash to its name.
  /// - Parameters:
  ///   - item: an item of the push plan that the remote holds.
  ///   - remote: the remote.
  ///   - recipes: this store's recipes by content digest.
  ///   - verification: `everything` also rebuilds recipes that differ from this store's.
  /// - Returns: what is wrong, or `nil`.
  /// - Throws: `StoreError` for I/O failures (integrity problems are returned, not thrown).
  func remoteDamage(
    _ item: TransferPlan.Item, on remote: any Remote, recipes: [Digest: Recipe],
    _ verification: RemoteVerification
  ) throws -> String? {
    let bytes: Data
    do { bytes = try remote.read(item.object) } catch let error as StoreError
      where error.category == .integrity
    {
      return "it vanished while it was being checked"
    }
    let digest = item.object.digest
    guard item.object.kind == .recipe else {
      if Int64(bytes.count) != item.size {
        return "it was \(bytes.count) bytes instead of \(item.size)"
      }
      let actual = bytes.withUnsafeBytes { StreamingHash.digest(of: $0) }
      return actual == digest ? nil : "its bytes hash to \(actual.short)"
    }
    let copy: Recipe
    do { copy = try Recipe.decode(bytes, name: digest) } catch let error as StoreError {
      return error.problem
    }
    guard let local = recipes[digest], copy != local else { return nil }
    if copy.size != local.size {
      return "it describes a file of \(copy.size) bytes, not \(local.size)"
    }
    if verification.isEverything { return try rebuildDamage(copy, on: remote) }
    for chunk in copy.chunks {
      if try remote.size(of: .object(chunk.digest)) != chunk.size {
        return "its chunk \(chunk.digest.short) is missing or has the wrong size"
      }
    }
    return nil
  }

  /// Why `recipe` does not rebuild its file from the remote's chunks, or `nil` when it does.
  private func rebuildDamage(_ recipe: Recipe, on remote: any Remote) throws -> String? {
    var whole = StreamingHash()
    for chunk in recipe.chunks {
      let bytes: Data
      do { bytes = try remote.readVerified(.object(chunk.digest)) } catch let error as StoreError
        where error.category == .integrity
      {
        return "its chunk \(chunk.digest.short) is missing or damaged"
      }
      guard Int64(bytes.count) == chunk.size else {
        return "its chunk \(chunk.digest.short) has the wrong size"
      }
      bytes.withUnsafeBytes { whole.update($0) }
    }
    let actual = whole.finalize()
    return actual == recipe.digest ? nil : "it rebuilds other bytes (they hash to \(actual.short))"
  }
}
