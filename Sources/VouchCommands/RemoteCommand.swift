import ArgumentParser

extension VouchCommand {
  /// `vouch remote`: manage the remotes named in `manifests/remotes.toml`.
  struct RemoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "remote",
      abstract: "Manages the remotes that share stored objects between clones and labs.",
      discussion: """
        A remote is a directory with the store's object layout and a vouch-remote.json marker: a \
        shared lab disk, an NFS mount, or a folder committed to git. manifests/remotes.toml maps \
        each name to its directory (relative to the workspace root, or absolute) and names the \
        default one; commit it so every clone knows its remotes. `vouch remote check` re-hashes \
        everything on a remote; `vouch remote gc` cleans up after killed pushes and, on request, \
        deletes what this workspace no longer references.
        """,
      subcommands: [
        RemoteAdd.self, RemoteList.self, RemoteRemove.self, RemoteCheck.self,
        RemoteGarbageCollect.self,
      ])
  }
}
