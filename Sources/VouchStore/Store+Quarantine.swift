import Foundation
import GRDB
import VouchCore

extension Store {
  /// `quarantine/`: where damaged objects and recipes go once a verified read finds them.
  ///
  /// An object whose bytes do not hash to its name is moved out of the namespace (kept, not
  /// deleted, so nothing is lost and it can be inspected), so the store then simply lacks it:
  /// `add` of the intact file, `fetch`, `pull` and `run` store it again, which is how damage
  /// heals. Only `gc` empties this folder.
  var quarantineDirectory: String { root + "/quarantine" }

  /// Moves the damaged file at `path` (an object or recipe named `digest`) into `quarantine/`
  /// and forgets its index row. Best effort: when it cannot be moved, the error that found the
  /// damage is still reported.
  func quarantine(_ path: String, digest: Digest) {
    // Never move a file found through a symlinked folder (one committed inside `.vouch/`, say):
    // it would be a file outside the store.
    let folder = (path as NSString).deletingLastPathComponent
    guard let status = try? Sys.statusNoFollow(atPath: folder), status.isDirectory,
      (try? Sys.statusNoFollow(atPath: path))??.isRegularFile == true,
      (try? Sys.mkdir(quarantineDirectory)) != nil
    else { return }
    let destination = quarantineDirectory + "/" + digest.hex + "-" + TemporaryName.next()
    guard (try? Sys.rename(path, destination)) != nil else { return }
    // A chunk's row is still referenced by its recipes' rows (ON DELETE RESTRICT) and stays
    // until the chunk is stored again; `check` reports the chunk itself, not that row.
    _ = try? index.get().write { db in
      try db.execute(sql: "DELETE FROM recipe WHERE digest = ?", arguments: [digest.hex])
      try db.execute(sql: "DELETE FROM object WHERE digest = ?", arguments: [digest.hex])
    }
  }

  /// The message for bytes that do not hash to their name and were quarantined.
  static func quarantined(_ what: String, _ digest: Digest, actual: Digest) -> StoreError {
    var error = StoreError.integrity(
      "\(what) \(digest) is corrupt (its bytes hash to \(actual.short)); it was moved to"
        + " .vouch/quarantine/, so re-add the file or fetch it from a remote to restore it")
    error.quarantined = digest
    return error
  }
}
