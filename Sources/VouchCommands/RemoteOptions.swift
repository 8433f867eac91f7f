import ArgumentParser
import VouchPipeline

/// `--remote NAME`, shared by push, fetch, pull, remote check and remote gc.
struct RemoteOptions: ParsableArguments {
  @Option(
    name: .customLong("remote"),
    help: "The remote to use (default: the default remote in manifests/remotes.toml).")
  var name: String?
}

extension RemoteTransfer.Report {
  /// The human summary: damaged and missing items, then one line of counts.
  var lines: [String] {
    var lines: [String] = []
    for repair in healed {
      lines.append(
        "healed   \(repair.object) (\(Self.names(repair.artifacts))): \(repair.detail)"
          + " on the remote; replaced it with the verified local bytes")
    }
    for damage in corrupt {
      lines.append(
        "corrupt  \(damage.object) (breaks \(Self.names(damage.artifacts))): \(damage.detail)")
    }
    let source = direction == .push ? "the local store" : "the remote"
    for absence in missing {
      lines.append(
        "missing  \(absence.digest) (\(Self.names(absence.artifacts))) is not in \(source)")
    }
    let verb = direction == .push ? "sent" : "received"
    let place = direction == .push ? "on the remote" : "in the store"
    lines.append(
      "\(direction.rawValue) '\(remote)' (\(location)): \(verb) \(transferred) object(s),"
        + " \(bytes); \(present) already \(place) (\(presentBytes))"
        + (direction == .push && present > 0
          ? ", \(verified) of them re-hashed (\(verifiedBytes))" : "")
        + (missing.isEmpty ? "" : "; \(missing.count) missing")
        + (corrupt.isEmpty ? "" : "; \(corrupt.count) corrupt"))
    if !healed.isEmpty {
      lines.append("healed \(healed.count) damaged object(s) on the remote (\(healedBytes))")
    }
    return lines
  }
}

extension CommandContext {
  /// Pushes or fetches what `paths` need (everything referenced when empty) with the remote
  /// `remote`, drawing a progress bar labelled with the direction on a terminal.
  func transfer(
    _ direction: RemoteTransfer.Direction, remote: String?, paths: [String],
    verifyRemote: Bool = false, in workspace: Workspace
  ) throws -> RemoteTransfer.Report {
    let (bar, progress) = self.progress(direction.rawValue)
    defer { bar?.finish() }
    let transfer = RemoteTransfer(workspace: workspace)
    switch direction {
    case .push:
      return try transfer.push(
        remote: remote, paths: paths, currentDirectory: currentDirectory,
        verifyRemote: verifyRemote, progress: progress)
    case .fetch:
      return try transfer.fetch(
        remote: remote, paths: paths, currentDirectory: currentDirectory, progress: progress)
    }
  }

  /// Prints a transfer report (JSON or text), warns about missing content, and throws the
  /// report's failure (exit status 12) after printing.
  func finish(_ report: RemoteTransfer.Report, json: Bool) throws {
    if json {
      try printJSON(report)
    } else {
      for line in report.lines { print(line) }
    }
    if let failure = report.failure { throw failure }
    warnAboutMissing(report)
  }

  /// Warns on stderr when referenced items were not transferred because the source lacks them
  /// (an error only when paths were named, which the transfer reports as a failure).
  func warnAboutMissing(_ report: RemoteTransfer.Report) {
    if report.missing.isEmpty { return }
    Diagnostics.warning(
      "\(report.missing.count) referenced item(s) were not transferred because"
        + " \(report.direction == .push ? "the local store" : "the remote") lacks them"
        + " (old outputs nobody kept?); name paths to make this an error")
  }
}
