import Foundation

/// The files of a report, gathered in memory and then written in one go: into a temporary folder
/// beside the target, which is renamed into place.
struct ReportSite {
  /// Site path (components joined by `/`) → bytes.
  private(set) var files: [String: Data] = [:]

  /// Adds (or replaces) a file; the same object added twice is written once.
  mutating func add(_ components: [String], _ data: Data) {
    files[components.joined(separator: "/")] = data
  }

  /// Writes every file into a new folder beside `target` and renames it to `target`, replacing
  /// the earlier report there (the caller checked that it is one, or that it is empty).
  /// - Throws: `PipelineError` when a file cannot be written; nothing is left behind then.
  func write(to target: URL) throws {
    let manager = FileManager.default
    let parent = target.deletingLastPathComponent()
    let name = target.lastPathComponent
    let token = UUID().uuidString
    let temporary = parent.appendingPathComponent(".\(name).tmp-\(token)", isDirectory: true)
    let previous = parent.appendingPathComponent(".\(name).old-\(token)", isDirectory: true)
    do {
      try manager.createDirectory(at: parent, withIntermediateDirectories: true)
      try manager.createDirectory(at: temporary, withIntermediateDirectories: false)
      var folders: Set<String> = []
      for (path, data) in files.sorted(by: { $0.key < $1.key }) {
        let url = temporary.appendingPathComponent(path)
        let folder = url.deletingLastPathComponent()
        if folders.insert(folder.path).inserted {
          try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try data.write(to: url)
      }
      let replacing = manager.fileExists(atPath: target.path)
      if replacing { try Self.move(target, previous) }
      do { try Self.move(temporary, target) } catch {
        if replacing { try? Self.move(previous, target) }
        throw error
      }
      if replacing { try? manager.removeItem(at: previous) }
    } catch {
      try? manager.removeItem(at: temporary)
      let reason = (error as? PipelineError)?.message ?? Workspace.reason(error)
      throw PipelineError.failure("cannot write the report to \(target.path): \(reason)")
    }
  }

  /// `rename(2)`.
  private static func move(_ from: URL, _ to: URL) throws {
    guard rename(from.path, to.path) == 0 else {
      throw PipelineError.failure(
        "rename \(from.lastPathComponent) → \(to.lastPathComponent): "
          + String(cString: strerror(errno)))
    }
  }
}
