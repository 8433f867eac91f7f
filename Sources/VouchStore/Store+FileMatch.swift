import Foundation
import VouchCore

extension Store {
  /// Whether the file at `path` holds the stored content `digest`, checked against its recipe
  /// chunk by chunk on both cores and stopping at the first difference (see `RecipeMatch`):
  /// about twice as fast as hashing the file when it matches, and usually much faster when it
  /// does not.
  /// - Parameters:
  ///   - path: a regular file (symlinks are followed).
  ///   - digest: the content it is expected to hold.
  ///   - progress: called with the bytes checked so far.
  /// - Returns: `nil` when this cannot tell (the store has no readable recipe for `digest`:
  ///   the content is small, stored whole, or not stored; hash the file instead); `false` when
  ///   the size or a chunk differs or the file changed while it was read; `true` otherwise.
  /// - Throws: `StoreError` (usage) when the file cannot be opened or read.
  public func fileMatches(
    path: String, digest: Digest, progress: (@Sendable (Int64) -> Void)? = nil
  ) throws -> Bool? {
    try lock.withLock(.shared, for: "check \(path)") {
      guard let recipe = storedRecipe(digest) else { return nil }
      let fd = try Sys.open(path, O_RDONLY | O_NONBLOCK)
      defer { Sys.close(fd) }
      let before = try Sys.fileStatus(fd, path: path)
      guard before.isRegularFile, before.size == recipe.size else { return false }
      let same = try RecipeMatch(fd: fd, path: path, recipe: recipe).matches(progress: progress)
      return try same && Sys.fileStatus(fd, path: path) == before
    }
  }

  /// The recipe stored for `digest`, or `nil` when there is none or it cannot be read (a damaged
  /// recipe is for `check` to report; callers then fall back to hashing).
  func storedRecipe(_ digest: Digest) -> Recipe? {
    guard (try? Sys.status(atPath: recipePath(digest))) ?? nil != nil else { return nil }
    return try? recipe(digest).recipe
  }
}
