import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch verify`: checks the manifests against the stored bytes and the pipeline files, without
/// recomputing anything.
///
/// Nothing is believed because a record agrees with itself. Every claim is re-read from the
/// stored bytes of the output it names; every folder manifest must equal its stored listing;
/// every lock entry must match its pipeline file's stage (else the lock is out of date), its run
/// key its fields, its run record file the digest the lock lists, and its outputs their artifact
/// manifests; every digest any of them names must be stored. By default only claim sources and
/// listings are read (and re-hashed); `deep` re-hashes every stored byte the manifests name.
public struct Verifier {
  /// One thing that is wrong.
  public struct Problem: Sendable, Codable, Hashable {
    /// How serious it is, which picks the exit status.
    public enum Kind: String, Sendable, Codable, Hashable {
      /// Stored bytes, manifests or records disagree (exit 12).
      case integrity
      /// A lock no longer describes its pipeline file (exit 14).
      case outOfDate = "out-of-date"
      /// A pipeline file cannot be read (exit 64).
      case pipeline
    }
    /// What kind of problem.
    public var kind: Kind
    /// The manifest (or store object) concerned.
    public var file: String
    /// What is wrong and how to fix it.
    public var message: String
  }

  /// What `verify` checked and found.
  public struct Report: Sendable, Codable, Hashable {
    /// Artifact manifests read.
    public var artifacts = 0
    /// Locks read.
    public var locks = 0
    /// Stage entries in those locks.
    public var stages = 0
    /// Run record files under `manifests/runs/`.
    public var runs = 0
    /// Claims re-derived from stored bytes (each distinct run's claims once).
    public var claims = 0
    /// Distinct digests looked up in the store.
    public var digests = 0
    /// Whether every one of them was re-hashed (`--deep`).
    public var deep = false
    /// Everything found wrong.
    public var problems: [Problem] = []
    /// Per pipeline with a lock, what the check found for each stage's outputs and claims (not
    /// part of the JSON: `vouch verify` records it under `.vouch/verdicts/`).
    public var verdicts: [VerdictRecord] = []

    private enum CodingKeys: String, CodingKey {
      case artifacts, locks, stages, runs, claims, digests, deep, problems
    }

    /// The category of the worst problem: integrity, then a bad pipeline file, then an
    /// out-of-date lock; `nil` when there is none.
    public var category: ErrorCategory? {
      if problems.contains(where: { $0.kind == .integrity }) { return .integrity }
      if problems.contains(where: { $0.kind == .pipeline }) { return .usage }
      return problems.isEmpty ? nil : .outOfDate
    }
  }

  /// The workspace.
  public let workspace: Workspace

  /// Creates a verifier.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Runs every check.
  /// - Parameter deep: re-hash every stored byte the manifests name, not only claim sources and
  ///   folder listings.
  /// - Returns: what was checked and every problem found.
  /// - Throws: `PipelineError`/`StoreError` when the manifests cannot be listed at all.
  public func verify(deep: Bool = false) throws -> Report {
    var state = State(deep: deep)
    let artifacts = try workspace.allManifests { file, error in
      state.problem(.integrity, file, error.message)
    }
    state.report.artifacts = artifacts.count
    for manifest in artifacts {
      checkArtifact(manifest, into: &state)
    }
    let tracked = Dictionary(
      artifacts.map { ($0.path, $0.digest) }, uniquingKeysWith: { first, _ in first })
    var definitions: [PipelineDefinition] = []
    for name in try workspace.pipelineNames() {
      checkLock(of: name, tracked: tracked, definitions: &definitions, into: &state)
    }
    do { try Workspace.checkSharedOutputs(definitions) } catch let error as any VouchError {
      state.problem(.pipeline, Workspace.manifestsFolder, error.message)
    }
    checkRunRecords(into: &state)
    checkStore(&state)
    state.report.digests = state.needed.count
    let commit = workspace.manifestsCommit()
    state.report.verdicts = state.stageVerdicts.sorted(by: { $0.key < $1.key }).map {
      pipeline, stages in
      VerdictRecord(
        pipeline: pipeline, command: .verify, commit: commit,
        stages: stages.mapValues { stage in
          var stage = stage
          stage.commit = commit
          return stage
        })
    }
    return state.report
  }

  /// The findings so far and the digests still to look up.
  struct State {
    var report = Report()
    /// Digest → the file that first named it (for messages).
    var needed: [Digest: String] = [:]
    /// Runs (without times) whose claims were already re-derived.
    var derived: Set<RunRecord> = []
    /// The size each file artifact's manifest records.
    var sizes: [Digest: (size: ByteCount, file: String)] = [:]
    /// Pipeline → stage → what was found for its lock entry.
    var stageVerdicts: [String: [String: VerdictRecord.Stage]] = [:]

    init(deep: Bool) { report.deep = deep }

    mutating func problem(_ kind: Problem.Kind, _ file: String, _ message: String) {
      report.problems.append(Problem(kind: kind, file: file, message: message))
    }

    mutating func need(_ digest: Digest, by file: String) {
      if needed[digest] == nil { needed[digest] = file }
    }
  }

  /// A manifest's digests are needed; a folder's file list must be its stored listing.
  private func checkArtifact(_ manifest: ArtifactManifest, into state: inout State) {
    let file = "\(Workspace.artifactManifestFolder)/\(manifest.path).json"
    for digest in manifest.referencedDigests.sorted() { state.need(digest, by: file) }
    guard manifest.files != nil else {
      state.sizes[manifest.digest] = (manifest.size, file)
      return
    }
    do {
      if let mismatch = try StoredContent(workspace: workspace).listingMismatch(manifest) {
        state.problem(.integrity, file, mismatch)
      }
    } catch let error as any VouchError {
      state.problem(.integrity, file, "\(file): \(error.message)")
    } catch {
      state.problem(.integrity, file, "\(file): \(error)")
    }
  }

  /// Every digest must be stored, a file artifact at its recorded size; with `deep`, every one is
  /// re-hashed (small objects and large alike, streamed without writing anything).
  private func checkStore(_ state: inout State) {
    let store = workspace.store
    for (digest, file) in state.needed.sorted(by: { $0.key < $1.key }) {
      do {
        guard let info = try store.info(digest) else {
          state.problem(
            .integrity, file,
            "\(file): \(digest) is not in the store; `vouch fetch` it from a remote that has it")
          continue
        }
        if let recorded = state.sizes[digest], recorded.size != info.size {
          state.problem(
            .integrity, recorded.file,
            "\(recorded.file): records \(recorded.size.value) bytes but \(digest.short) has "
              + "\(info.size.value); restore the manifest from git")
        }
        if state.report.deep { try store.verify(digest) }
      } catch let error as any VouchError {
        state.problem(.integrity, file, "\(file): \(error.message)")
      } catch {
        state.problem(.integrity, file, "\(file): \(error)")
      }
    }
  }
}
