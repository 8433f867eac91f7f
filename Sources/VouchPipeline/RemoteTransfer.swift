import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch push` and `vouch fetch`: choose what the named artifacts need and move it between the
/// store and a remote (the moving and verifying is `Store.push`/`Store.fetch`).
///
/// With no paths, the selection is `gc`'s keep set: everything the artifact manifests, pipeline
/// locks and run records in the working tree and at HEAD reference, folder outputs with their
/// files. A path selects an artifact, the artifacts under a folder, or files inside a folder
/// artifact.
public struct RemoteTransfer {
  /// Which way the bytes go.
  public enum Direction: String, Sendable, Codable, Hashable {
    /// From the store to the remote.
    case push
    /// From the remote to the store.
    case fetch
  }

  /// Content the source does not have.
  public struct Absence: Sendable, Codable, Hashable {
    /// The content digest.
    public var digest: Digest
    /// The artifacts (or artifact files) it is, as workspace paths.
    public var artifacts: [String]
  }

  /// An object whose bytes are damaged at the source (not moved).
  public struct Damage: Sendable, Codable, Hashable {
    /// The damaged object or recipe.
    public var object: RemoteObject
    /// What is wrong and how to fix it.
    public var detail: String
    /// The artifacts (or artifact files) it breaks.
    public var artifacts: [String]
  }

  /// What a push or fetch did.
  public struct Report: Sendable, Codable, Hashable {
    /// Push or fetch.
    public var direction: Direction
    /// The remote's name.
    public var remote: String
    /// The remote's directory.
    public var location: String
    /// Objects, chunks and recipes moved.
    public var transferred = 0
    /// Their bytes.
    public var bytes: ByteCount = 0
    /// Objects, chunks and recipes the destination already held, intact as far as checked.
    public var present = 0
    /// Their bytes.
    public var presentBytes: ByteCount = 0
    /// Of those, how many a push re-read and re-hashed on the remote.
    public var verified = 0
    /// Their bytes.
    public var verifiedBytes: ByteCount = 0
    /// Objects a push found damaged on the remote and replaced with verified local bytes.
    public var healed: [Damage] = []
    /// The bytes written to replace them.
    public var healedBytes: ByteCount = 0
    /// Selected content the source lacks.
    public var missing: [Absence] = []
    /// Damaged objects at the source.
    public var corrupt: [Damage] = []
    /// Whether paths were named (then missing content is an error, not a warning).
    public var explicitSelection = false

    /// The error the command exits with, if any: damage always; missing content only when
    /// paths were named (the default selection may name old outputs nobody kept).
    public var failure: PipelineError? {
      let source = direction == .push ? "the local store" : "the remote '\(remote)'"
      if let first = corrupt.first {
        return PipelineError.integrity(
          "\(corrupt.count) damaged object(s) in \(source), nothing of them was copied (first:"
            + " \(first.object) breaks \(Self.names(first.artifacts))); "
            + (direction == .push
              ? "run `vouch check` and re-add the files"
              : "push them again from a store that has them intact"))
      }
      if explicitSelection, let first = missing.first {
        return PipelineError.integrity(
          "\(missing.count) selected item(s) are not in \(source) (first: \(first.digest.short),"
            + " \(Self.names(first.artifacts))); "
            + (direction == .push
              ? "fetch or re-add them first" : "push them there from a store that has them"))
      }
      return nil
    }

    /// Up to three artifact paths for a message (`no tracked artifact` when there is none).
    public static func names(_ artifacts: [String]) -> String {
      artifacts.isEmpty
        ? "no tracked artifact"
        : artifacts.prefix(3).joined(separator: ", ") + (artifacts.count > 3 ? ", …" : "")
    }
  }

  /// The workspace.
  public let workspace: Workspace

  /// Creates a transfer for `workspace`.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Sends what `paths` need (everything referenced when empty) to the remote `remote` (the
  /// default remote when `nil`), healing the damaged objects it finds there.
  /// - Parameters:
  ///   - name: the remote's name, or `nil` for the default remote.
  ///   - paths: artifacts to send, as typed (everything referenced when empty).
  ///   - currentDirectory: where relative `paths` start.
  ///   - verifyRemote: re-hash every object the remote already holds, instead of the sizes
  ///     plus a bounded random sample (see `RemoteVerification`).
  ///   - progress: called with (bytes read or sent, bytes to read or send).
  /// - Returns: what was sent, healed or already there, with the artifacts of any problem.
  /// - Throws: `PipelineError` (usage) for an unknown remote or path; `StoreError` for I/O.
  public func push(
    remote name: String?, paths: [String], currentDirectory: URL, verifyRemote: Bool = false,
    progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) throws -> Report {
    let (chosen, remote) = try workspace.openRemote(named: name)
    let digests = try selection(paths, currentDirectory: currentDirectory)
    let transfer = try workspace.store.push(
      digests, to: remote, verifying: verifyRemote ? .everything : .randomSample(),
      progress: progress)
    return try report(.push, chosen, remote, transfer, explicit: !paths.isEmpty)
  }

  /// Brings what `paths` need (everything referenced when empty) from the remote `remote` (the
  /// default remote when `nil`) into the store; the workspace files are not touched.
  ///
  /// Folder outputs recorded only by their listing's digest are expanded once their listing has
  /// arrived, so a second round fetches their files. Holds the remote shared, like a push.
  /// - Throws: `PipelineError` (usage) for an unknown remote or path; `StoreError` for I/O, or
  ///   (locked) when a `remote gc` holds the remote past the lock timeout.
  public func fetch(
    remote name: String?, paths: [String], currentDirectory: URL,
    progress: (@Sendable (Int64, Int64) -> Void)? = nil
  ) throws -> Report {
    let (chosen, remote) = try workspace.openRemote(named: name)
    var total = TransferReport()
    var attempted = Set<Digest>()
    // Held shared like a push, so a `remote gc` cannot delete what is being fetched.
    try remote.withAccess(.shared, for: "fetch from \(remote.location)") {
      for _ in 0..<3 {
        let wanted = try selection(paths, currentDirectory: currentDirectory)
          .subtracting(attempted)
        if wanted.isEmpty { break }
        total.merge(try workspace.store.fetch(wanted, from: remote, progress: progress))
        attempted.formUnion(wanted)
      }
    }
    return try report(.fetch, chosen, remote, total, explicit: !paths.isEmpty)
  }

  /// The content digests `paths` select, or the keep set when `paths` is empty.
  func selection(_ paths: [String], currentDirectory: URL) throws -> Set<Digest> {
    if paths.isEmpty { return try workspace.keepSet(keepRevisions: []).digests }
    let manifests = try workspace.allManifests()
    let resolver = WorkspacePathResolver(root: workspace.root)
    var digests = Set<Digest>()
    for argument in paths {
      let path = try resolver.relativePath(of: argument, currentDirectory: currentDirectory)
      var found = false
      for match in ManifestMatch.all(for: path, in: manifests) {
        if match.inner == nil {
          digests.formUnion(match.manifest.referencedDigests)
          found = true
        } else {
          // The folder's listing travels too: checkout checks the file list against it.
          digests.insert(match.manifest.digest)
          for file in match.manifest.files ?? [] where match.includes(file.path) {
            digests.insert(file.digest)
            found = true
          }
        }
      }
      if !found { throw ManifestMatch.noArtifact(at: argument) }
    }
    return digests
  }

  private func report(
    _ direction: Direction, _ name: String, _ remote: FilesystemRemote,
    _ transfer: TransferReport, explicit: Bool
  ) throws -> Report {
    var report = Report(direction: direction, remote: name, location: remote.location)
    report.transferred = transfer.transferred
    report.bytes = transfer.bytes
    report.present = transfer.present
    report.presentBytes = transfer.presentBytes
    report.verified = transfer.verified
    report.verifiedBytes = transfer.verifiedBytes
    report.healedBytes = transfer.healedBytes
    report.explicitSelection = explicit
    if transfer.missing.isEmpty && transfer.corrupt.isEmpty && transfer.healed.isEmpty {
      return report
    }
    let names = try workspace.artifactNames()
    report.missing = transfer.missing.sorted().map {
      Absence(digest: $0, artifacts: names[$0] ?? [])
    }
    func damage(_ problem: TransferReport.Problem) -> Damage {
      let artifacts = Set(problem.affects.flatMap { names[$0] ?? [] })
      return Damage(object: problem.object, detail: problem.detail, artifacts: artifacts.sorted())
    }
    report.corrupt = transfer.corrupt.map(damage)
    report.healed = transfer.healed.map(damage)
    return report
  }
}
