import Foundation
import VouchStore

/// The folders of a workspace (or sandbox) opened without following symlinks, with the most
/// recently used ones kept open: files are visited in path order, so neighbours share a folder
/// and each folder is walked to once.
final class AnchoredFolders {
  /// The anchor (workspace root or sandbox).
  let root: AnchoredDirectory
  private var open: [String: AnchoredDirectory] = [:]
  /// Kept well below the usual 1,024 open files a process may have.
  private static let capacity = 64

  /// Opens the anchor at `path` (trusted: vouch chose it).
  init(anchor path: String) throws {
    root = try AnchoredDirectory.anchor(at: path)
  }

  /// The folder holding `relativePath` and the file's name in it.
  /// - Parameters:
  ///   - relativePath: a canonical workspace-relative file path.
  ///   - create: create missing folders on the way.
  /// - Returns: `nil` for the folder when a folder on the way is missing and `create` is false.
  /// - Throws: `StoreError` (integrity) for a symlink on the way; (usage) for a file there.
  func parent(of relativePath: String, create: Bool) throws -> (AnchoredDirectory?, String) {
    let slash = relativePath.lastIndex(of: "/")
    let folder = slash.map { String(relativePath[..<$0]) } ?? ""
    let name = slash.map { String(relativePath[relativePath.index(after: $0)...]) } ?? relativePath
    return (try self.folder(folder, create: create), name)
  }

  /// The folder at `relative` (`""` for the anchor).
  func folder(_ relative: String, create: Bool) throws -> AnchoredDirectory? {
    if relative.isEmpty { return root }
    if let cached = open[relative] { return cached }
    guard let opened = try root.directory(relative, create: create) else { return nil }
    if open.count >= Self.capacity { open.removeAll(keepingCapacity: true) }
    open[relative] = opened
    return opened
  }

  /// Forgets the open folders at or under `relative` (after removing it).
  func forget(_ relative: String) {
    for key in open.keys where key == relative || key.hasPrefix(relative + "/") {
      open[key] = nil
    }
  }
}
