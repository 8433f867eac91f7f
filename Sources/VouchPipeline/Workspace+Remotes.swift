import Foundation
import VouchCore
import VouchLineage
import VouchStore

extension Workspace {
  /// `manifests/remotes.toml` under the root.
  public var remoteRegistryURL: URL { root.appendingPathComponent(RemoteRegistry.file) }

  /// The remotes named in `manifests/remotes.toml` (none when the file does not exist).
  /// - Throws: `LineageError` (usage) for a malformed file.
  public func remoteRegistry() throws -> RemoteRegistry {
    guard let data = try read(RemoteRegistry.file) else { return RemoteRegistry() }
    guard let text = String(data: data, encoding: .utf8) else {
      throw PipelineError.usage("\(RemoteRegistry.file) is not UTF-8 text; restore it from git")
    }
    return try RemoteRegistry.parse(text)
  }

  /// Edits `manifests/remotes.toml` under the workspace edit lock and writes it atomically.
  /// - Parameter edit: changes the registry; its errors leave the file as it was.
  /// - Returns: the registry as written.
  /// - Throws: `edit`'s errors, `LineageError` for a malformed file, `PipelineError` when the
  ///   file cannot be written.
  public func updateRemoteRegistry(_ edit: (inout RemoteRegistry) throws -> Void) throws
    -> RemoteRegistry
  {
    try WorkspaceLock.withLock(at: lockURL) {
      var registry = try remoteRegistry()
      try edit(&registry)
      try writeAtomically(Data(registry.encoded().utf8), to: remoteRegistryURL)
      return registry
    }
  }

  /// The directory of a remote path as recorded: absolute, or relative to the workspace root.
  public func remoteDirectory(for path: String) -> URL {
    path.hasPrefix("/")
      ? URL(fileURLWithPath: path, isDirectory: true)
      : root.appendingPathComponent(path, isDirectory: true)
  }

  /// How to record a remote directory typed as `argument` in `currentDirectory`: relative to the
  /// workspace root when it lies inside the workspace (so every clone finds it), else absolute.
  public func recordedRemotePath(_ argument: String, currentDirectory: URL) -> String {
    let absolute = WorkspacePathResolver.normalize(
      argument.hasPrefix("/") ? argument : currentDirectory.path + "/" + argument)
    let resolved = WorkspacePathResolver.resolveExistingPrefix(absolute)
    let resolver = WorkspacePathResolver(root: root)
    if let relative = resolver.relativeInside(resolved), !relative.isEmpty { return relative }
    return absolute
  }

  /// Picks the remote named `name`, else the default, else the only one, and opens it.
  /// - Parameters:
  ///   - name: the remote's name, or `nil` for the default one.
  ///   - removingLeftovers: remove the leftovers of killed pushes while opening (best effort,
  ///     see `FilesystemRemote.open(at:lockTimeout:removingLeftovers:)`); `remote gc` passes
  ///     `false` to count them itself.
  /// - Returns: the remote's name and the opened remote.
  /// - Throws: `PipelineError.usage` for an unknown name or when no remote can be chosen;
  ///   `StoreError` (usage) when its directory is missing or not a vouch remote.
  public func openRemote(
    named name: String?, removingLeftovers: Bool = true
  ) throws -> (name: String, remote: FilesystemRemote) {
    let registry = try remoteRegistry()
    let known = registry.remotes.keys.sorted()
    let chosen: String
    if let name {
      guard registry.remotes[name] != nil else {
        throw PipelineError.usage(
          "no remote named '\(name)' in \(RemoteRegistry.file)"
            + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))")
            + "; `vouch remote add \(name) <directory>` adds it")
      }
      chosen = name
    } else if let defaultName = registry.defaultName {
      chosen = defaultName
    } else if known.count == 1, let only = known.first {
      chosen = only
    } else if known.isEmpty {
      throw PipelineError.usage(
        "no remote is configured; `vouch remote add <name> <directory>` adds one")
    } else {
      throw PipelineError.usage(
        "several remotes (\(known.joined(separator: ", "))) and no default; give --remote NAME,"
          + " or set default = \"NAME\" in \(RemoteRegistry.file)")
    }
    let path = registry.remotes[chosen] ?? ""
    do {
      let directory = remoteDirectory(for: path)
      return (
        chosen,
        try FilesystemRemote.open(at: directory, removingLeftovers: removingLeftovers)
      )
    } catch let error as StoreError {
      throw PipelineError(error.category, "remote '\(chosen)': \(error.message)")
    }
  }
}

extension Workspace {
  /// Registers the directory `argument` as remote `name`, creating the remote there when the
  /// directory is missing or empty.
  /// - Parameters:
  ///   - name: letters, digits, `-` and `_`; not yet registered.
  ///   - argument: the directory as typed, relative to `currentDirectory` or absolute.
  ///   - currentDirectory: where a relative `argument` starts.
  ///   - makeDefault: also make it the default remote.
  /// - Returns: the path as recorded (workspace-relative when inside the workspace).
  /// - Throws: `PipelineError.usage` for a bad or taken name, or a directory that holds other
  ///   files; `LineageError` for a malformed registry.
  public func addRemote(
    name: String, directory argument: String, currentDirectory: URL, makeDefault: Bool
  ) throws -> String {
    guard RemoteRegistry.isValidName(name) else {
      throw PipelineError.usage(
        "remote name '\(name)' may only use letters, digits, '-' and '_' (at most 64)")
    }
    let recorded = recordedRemotePath(argument, currentDirectory: currentDirectory)
    _ = try updateRemoteRegistry { registry in
      if let existing = registry.remotes[name] {
        throw PipelineError.usage(
          "a remote named '\(name)' already exists (\(existing)); `vouch remote remove \(name)`"
            + " first, or choose another name")
      }
      do {
        _ = try FilesystemRemote.create(at: remoteDirectory(for: recorded))
      } catch let error as StoreError {
        throw PipelineError(error.category, "cannot add remote '\(name)': \(error.message)")
      }
      registry.remotes[name] = recorded
      if makeDefault { registry.defaultName = name }
    }
    return recorded
  }

  /// Forgets remote `name` (its directory and objects are left alone).
  /// - Throws: `PipelineError.usage` when no remote has that name.
  public func removeRemote(name: String) throws {
    _ = try updateRemoteRegistry { registry in
      guard registry.remotes.removeValue(forKey: name) != nil else {
        let known = registry.remotes.keys.sorted()
        throw PipelineError.usage(
          "no remote named '\(name)'"
            + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))")
            + "; `vouch remote list` shows them")
      }
      if registry.defaultName == name { registry.defaultName = nil }
    }
  }
}
