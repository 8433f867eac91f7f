import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// `vouch report`: a static, self-contained HTML site describing pipelines, their stages,
/// figures, claims and lineage, and the verdicts of the last `reproduce` or `verify`.
///
/// The site is built from records and stored bytes only: the locks, run records and artifact
/// manifests say what each stage produced, and every figure and data file is copied from the
/// store by its recorded digest (each read re-hashed), never from the working tree, whose files
/// may have been edited since. Nothing in it needs a network or JavaScript; it works from
/// `file://`. It is written to a temporary folder beside the target and renamed into place, so a
/// failure leaves the previous report (or nothing) as it was.
public struct ReportWriter {
  /// The default folder, relative to the workspace root.
  public static let defaultFolder = "report"
  /// The file that marks a folder as a vouch report, which a new report may replace.
  public static let marker = ".vouch-report"

  /// The workspace.
  public let workspace: Workspace

  /// Creates a writer.
  public init(workspace: Workspace) { self.workspace = workspace }

  /// Writes the report of `pipelines` (all of them when empty) to `destination`.
  /// - Parameters:
  ///   - names: Pipeline names; empty for every pipeline of the workspace.
  ///   - destination: The site's folder; `nil` for `report/` at the workspace root (which is then
  ///     added to `.gitignore`).
  /// - Returns: What was written.
  /// - Throws: `PipelineError` (usage) for an unknown pipeline, one that has never run, or a
  ///   destination that is a file or a folder that is not a report; (integrity) when a figure is
  ///   not in the store (`vouch fetch` brings it).
  public func write(pipelines names: [String], to destination: URL?) throws -> ReportSummary {
    let target = (destination ?? workspace.root.appendingPathComponent(Self.defaultFolder))
      .standardizedFileURL
    try checkDestination(target)
    let definitions = try workspace.pipelines(names)
    guard !definitions.isEmpty else {
      throw PipelineError.usage(
        "no pipeline in manifests/; write <name>.pipeline.toml there (see examples/metric-pipeline)"
      )
    }
    let repository = try? ManifestRepository(discoveringFrom: workspace.root)
    let commit = (try? repository?.head())?.commit ?? nil
    var site = ReportSite()
    var pipelines: [ReportPipeline] = []
    for definition in definitions {
      pipelines.append(
        try gather(definition, commit: commit, repository: repository, into: &site))
    }
    let pages = ReportPages(
      workspaceName: workspace.root.lastPathComponent, commit: commit, pipelines: pipelines)
    site.add(["index.html"], Data(pages.overview().utf8))
    for pipeline in pipelines {
      for stage in pipeline.stages {
        site.add(stage.page, Data(pages.page(of: stage, in: pipeline).utf8))
      }
    }
    site.add([Self.marker], Data("vouch report\n".utf8))
    try site.write(to: target)
    if destination == nil {
      try workspace.ignoreInGit([Workspace.gitignorePattern(for: Self.defaultFolder) + "/"])
    }
    var claims = ReportSummary.Counts()
    var outputs = ReportSummary.Counts()
    for pipeline in pipelines {
      claims.add(pipeline.claimCounts)
      outputs.add(pipeline.outputCounts)
    }
    let stages = pipelines.flatMap(\.stages)
    return ReportSummary(
      path: target.path, index: target.appendingPathComponent("index.html").path,
      commit: commit?.hex, pipelines: pipelines.count, stages: stages.count,
      figures: stages.reduce(0) { $0 + $1.figures.count },
      claims: stages.reduce(0) { $0 + $1.claims.count }, claimVerdicts: claims,
      outputVerdicts: outputs)
  }

  /// The destination must be a folder that is missing, empty, or an earlier report.
  private func checkDestination(_ target: URL) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) else {
      return
    }
    guard isDirectory.boolValue else {
      throw PipelineError.usage(
        "\(target.path) is a file, not a folder; give --out a folder to write the report in")
    }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? []
    guard entries.isEmpty || entries.contains(Self.marker) else {
      throw PipelineError.usage(
        "\(target.path) is a folder that holds something other than a vouch report; give --out "
          + "an empty or new folder (a report replaces only an earlier report)")
    }
  }

  /// One pipeline's stages, with their figures and data copied into `site`.
  private func gather(
    _ definition: PipelineDefinition, commit: GitObjectID?, repository: ManifestRepository?,
    into site: inout ReportSite
  ) throws -> ReportPipeline {
    let lockPath = Workspace.lockPath(for: definition.name)
    guard let lock = try workspace.lock(for: definition.name) else {
      throw PipelineError.usage(
        "pipeline '\(definition.name)' has never run (no \(lockPath)); run `vouch run` first, "
          + "or name the pipelines to report")
    }
    let check = try workspace.verdicts(for: definition.name)
    var lockChanged = false
    if let repository, commit != nil {
      lockChanged = (try? repository.file(lockPath, at: "HEAD")) != (try workspace.read(lockPath))
    }
    let ordered = try definition.executionOrder().map(\.name)
    let extra = lock.stages.keys.filter {
      !ordered.contains($0) && PipelineDefinition.isValidName($0)
    }.sorted()
    var stages: [ReportStage] = []
    for name in ordered + extra {
      guard let record = lock.stages[name] else { continue }
      stages.append(try gather(record, check: check, into: &site))
    }
    return ReportPipeline(
      name: definition.name, description: definition.description, stages: stages, check: check,
      lockChanged: lockChanged)
  }

  /// One stage: its outputs (figures found in them), claims and the check of its run.
  private func gather(_ record: RunRecord, check: VerdictRecord?, into site: inout ReportSite)
    throws -> ReportStage
  {
    var stageCheck: VerdictRecord.Stage?
    var reason: String? = "never checked: run `vouch reproduce` or `vouch verify`"
    if let entry = check?.stages[record.stage] {
      if entry.runKey == record.runKey {
        stageCheck = entry
        reason = nil
      } else {
        reason = "not checked since the stage ran again; run `vouch reproduce` or `vouch verify`"
      }
    }
    var outputs: [ReportOutput] = []
    var figures: [ReportFigure] = []
    for (path, digest) in record.outputs.sorted(by: { $0.key < $1.key }) {
      let manifest = try? workspace.manifest(for: path)
      var manifestPath: [String]?
      if let manifest, manifest.digest == digest {
        // A manifest is small and canonical: the site keeps a copy at its workspace path.
        let sitePath = ["manifests"] + (path + ".json").split(separator: "/").map(String.init)
        site.add(sitePath, try manifest.encoded())
        manifestPath = sitePath
      }
      let stored = try workspace.store.contains(digest)
      let verdict = stageCheck?.outputs[path].flatMap { entry in
        entry.recorded == digest ? ShownVerdict(entry.verdict) : nil
      }
      outputs.append(
        ReportOutput(
          path: path, digest: digest, kind: manifest?.kind.rawValue, manifest: manifestPath,
          verdict: verdict ?? .notChecked, reproduced: stageCheck?.outputs[path]?.reproduced,
          stored: stored))
      figures += try self.figures(
        in: path, digest: digest, manifest: manifest, manifestPath: manifestPath, stored: stored,
        into: &site)
    }
    let claims = record.claims.map { claim -> ReportClaim in
      let entry = stageCheck?.claims[claim.name]
      let current = entry.map { $0.recorded.text == claim.value.text } ?? false
      return ReportClaim(
        record: claim, verdict: current ? ShownVerdict(entry?.verdict ?? .mismatch) : .notChecked,
        check: current ? entry : nil)
    }
    return ReportStage(
      pipeline: record.pipeline, name: record.stage, record: record, check: stageCheck,
      uncheckedReason: reason, outputs: outputs, figures: figures, claims: claims)
  }
}
